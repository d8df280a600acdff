;; The line index's kernel (line-index.ts; built by `npm run build:wasm`): finds the lines of a piece
;; of input with 128-bit SIMD compares and tells which are successful access-log lines the prefilter
;; skips (prefilter.ts classifyAccessJson, classifyAccessText), so JavaScript never visits them. Every other line is
;; written out as a record for the scanner. It also hashes and searches the lines the context
;; lane asks about.
;;
;; Memory (one instance per scanner; line-index.ts writes the tables and the input). The one
;; definition of this map is KERNEL_MEMORY in line-index.ts: every number below that is an
;; address or a bound carries its name as a comment, `256 (;RC_AT;)`, and test/line-index.test.ts
;; checks each against that table (and that no address is written without its name).
;;   RC_AT          `"response_code":"`, its first 16 bytes
;;   FLAGS_AT       `","response_flags":"` (20 bytes; FLAGS_TAIL_AT: its last 4)
;;   AI_LOG_AT      `{"ai_log":` (10 bytes; AI_LOG_TAIL_AT: its last 2)
;;   HEX_CLASS_AT   maskedKey's byte classes: hex digits and dashes (256 bytes)
;;   WORD_AT        word characters (256 bytes)
;;   RECORDS_AT     records, 12 bytes each (INDEX_RECORDS of them, up to RECORDS_END): line start,
;;                  its newline (offsets in the input piece), skipped lines before it
;;   NEEDLES_AT     hasNeedle's needles (up to 8, 64 bytes each)
;;   KEYS_AT        flatRecord's keys (up to 16, KEY_ENTRY bytes each: the length, then the key)
;;   SLOTS_AT       flatRecord's answer, 12 bytes per key: kind, value start, value end
;;   KEY_LENGTHS_AT for each key length below KEY_ENTRY, a 32-bit mask of the keys that long
;;   TOKENS_AT      textTokens' answer: up to 40 fields, each its start and end (8 bytes)
;;   INPUT_AT       the input piece (READ_CHUNK bytes), then 64 bytes of padding
;;   PAGES          64 KiB pages of memory
;;   MAX_LINE       MAX_LINE_BYTES: a longer line is cut by the scanner first
;;   REQUEST_LIMIT  how far a TEXT access line's request is searched for its closing quote (prefilter.ts)
(module
  (memory (export "memory") 6 (;PAGES;) 6 (;PAGES;))
  ;; After scan: where the first line not looked at starts (in the input piece), and skipped lines
  ;; after the last record.
  (global $consumed (export "consumed") (mut i32) (i32.const 0))
  (global $tailSkip (export "tailSkip") (mut i32) (i32.const 0))

  ;; The first newline in [i, e), or e. 64 bytes per step while no newline is near, then 16, then 1.
  (func $newline (param $i i32) (param $e i32) (result i32)
    (local $m i32) (local $nl v128)
    (local.set $nl (i8x16.splat (i32.const 10)))
    (block $near
      (loop $wide
        (br_if $near (i32.gt_u (i32.add (local.get $i) (i32.const 64)) (local.get $e)))
        (br_if $near
          (v128.any_true
            (v128.or
              (v128.or (i8x16.eq (v128.load (local.get $i)) (local.get $nl))
                       (i8x16.eq (v128.load offset=16 (local.get $i)) (local.get $nl)))
              (v128.or (i8x16.eq (v128.load offset=32 (local.get $i)) (local.get $nl))
                       (i8x16.eq (v128.load offset=48 (local.get $i)) (local.get $nl))))))
        (local.set $i (i32.add (local.get $i) (i32.const 64)))
        (br $wide)))
    (loop $narrow
      (if (i32.le_u (i32.add (local.get $i) (i32.const 16)) (local.get $e))
        (then
          (local.set $m (i8x16.bitmask (i8x16.eq (v128.load (local.get $i)) (local.get $nl))))
          (if (local.get $m) (then (return (i32.add (local.get $i) (i32.ctz (local.get $m))))))
          (local.set $i (i32.add (local.get $i) (i32.const 16)))
          (br $narrow))))
    (loop $bytes
      (if (i32.lt_u (local.get $i) (local.get $e))
        (then
          (if (i32.eq (i32.load8_u (local.get $i)) (i32.const 10)) (then (return (local.get $i))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $bytes))))
    (local.get $e))

;; The first `"response_code":"` wholly in [from, end), or -1. 16 positions at a time: those with
  ;; its `"`, `_` and `:` where they belong are compared in full, leftmost first.
  (func $responseCode (param $from i32) (param $end i32) (result i32)
    (local $i i32) (local $m i32) (local $q i32) (local $lim i32)
    (local $quote v128) (local $under v128) (local $colon v128)
    (local.set $quote (i8x16.splat (i32.const 34)))
    (local.set $under (i8x16.splat (i32.const 95)))
    (local.set $colon (i8x16.splat (i32.const 58)))
    (local.set $i (local.get $from))
    (block $none
      (loop $block
        (br_if $none (i32.gt_s (i32.add (local.get $i) (i32.const 17)) (local.get $end)))
        (local.set $m
          (i8x16.bitmask
            (v128.and
              (v128.and (i8x16.eq (v128.load (local.get $i)) (local.get $quote))
                        (i8x16.eq (v128.load offset=9 (local.get $i)) (local.get $under)))
              (i8x16.eq (v128.load offset=15 (local.get $i)) (local.get $colon)))))
        ;; Only positions q with q + 17 <= end: q - i < end - 16 - i.
        (local.set $lim (i32.sub (i32.sub (local.get $end) (i32.const 16)) (local.get $i)))
        (if (i32.lt_s (local.get $lim) (i32.const 16))
          (then (local.set $m (i32.and (local.get $m) (i32.sub (i32.shl (i32.const 1) (local.get $lim)) (i32.const 1))))))
        (loop $candidate
          (if (local.get $m)
            (then
              (local.set $q (i32.add (local.get $i) (i32.ctz (local.get $m))))
              (if (i32.and
                    (i8x16.all_true (i8x16.eq (v128.load (local.get $q)) (v128.load (i32.const 256 (;RC_AT;)))))
                    (i32.eq (i32.load8_u offset=16 (local.get $q)) (i32.const 34)))
                (then (return (local.get $q))))
              (local.set $m (i32.and (local.get $m) (i32.sub (local.get $m) (i32.const 1))))
              (br $candidate))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $block)))
    (i32.const -1))

  ;; After the time `kubectl logs --timestamps` puts before a line at s (`YYYY-MM-DDTHH:MM:SS[.f]Z`
  ;; and one space), where the line goes on; s when [s, e) does not start so. The checks are
  ;; classifyInner's digit, istioTimestampEnd's and classifyIstio's (a single space).
  (func $stampEnd (param $s i32) (param $e i32) (result i32)
    (local $p i32) (local $f i32)
    (if (i32.lt_u (i32.sub (local.get $e) (local.get $s)) (i32.const 24)) (then (return (local.get $s))))
    (if (i32.gt_u (i32.sub (i32.load8_u (local.get $s)) (i32.const 48)) (i32.const 9)) (then (return (local.get $s))))
    (if (i32.or (i32.or (i32.ne (i32.load8_u offset=4 (local.get $s)) (i32.const 45)) (i32.ne (i32.load8_u offset=7 (local.get $s)) (i32.const 45)))
          (i32.or (i32.ne (i32.load8_u offset=10 (local.get $s)) (i32.const 84))
            (i32.or (i32.ne (i32.load8_u offset=13 (local.get $s)) (i32.const 58)) (i32.ne (i32.load8_u offset=16 (local.get $s)) (i32.const 58)))))
      (then (return (local.get $s))))
    (local.set $p (i32.add (local.get $s) (i32.const 19)))
    ;; A fraction of at most nine digits.
    (if (i32.eq (i32.load8_u (local.get $p)) (i32.const 46))
      (then
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $f (i32.add (local.get $p) (i32.const 9)))
        (if (i32.gt_u (local.get $f) (local.get $e)) (then (local.set $f (local.get $e))))
        (block $done
          (loop $digit
            (br_if $done (i32.ge_u (local.get $p) (local.get $f)))
            (br_if $done (i32.gt_u (i32.sub (i32.load8_u (local.get $p)) (i32.const 48)) (i32.const 9)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $digit)))))
    (if (i32.or (i32.ne (i32.load8_u (local.get $p)) (i32.const 90)) (i32.ne (i32.load8_u offset=1 (local.get $p)) (i32.const 32)))
      (then (return (local.get $s))))
    (i32.add (local.get $p) (i32.const 2)))

  ;; The line [s, nl) is what the prefilter classifies as a skippable `access-json` line: the
  ;; default JSON access log, a 1xx–4xx response code and no response flags, maybe behind the
  ;; time `kubectl logs --timestamps` adds. The steps and bounds are classifyInner's and
  ;; classifyAccessJson's, in their order.
  (func $skippable (param $s0 i32) (param $nl i32) (result i32)
    (local $s i32) (local $e i32) (local $p i32) (local $c i32) (local $from i32)
    ;; Longer than MAX_LINE_BYTES: the scanner cuts it first.
    (if (i32.gt_u (i32.sub (local.get $nl) (local.get $s0)) (i32.const 65536 (;MAX_LINE;))) (then (return (i32.const 0))))
    ;; CRLF: the CR belongs to the terminator.
    (local.set $e (local.get $nl))
    (if (i32.gt_u (local.get $e) (local.get $s0))
      (then (if (i32.eq (i32.load8_u (i32.sub (local.get $e) (i32.const 1))) (i32.const 13))
        (then (local.set $e (i32.sub (local.get $e) (i32.const 1)))))))
    (local.set $s (local.get $s0))
    (local.set $c (i32.load8_u (local.get $s0)))
    (if (i32.and (i32.ne (local.get $c) (i32.const 123)) (i32.ne (local.get $c) (i32.const 91)))
      (then
        (local.set $s (call $stampEnd (local.get $s0) (local.get $e)))
        (if (i32.eq (local.get $s) (local.get $s0)) (then (return (i32.const 0))))))
    (if (i32.lt_s (i32.sub (local.get $e) (local.get $s)) (i32.const 24)) (then (return (i32.const 0))))
    (if (i32.eq (i32.load8_u (local.get $s)) (i32.const 91)) (then (return (call $textSkippable (local.get $s) (local.get $e)))))
    (if (i64.ne (i64.load (local.get $s)) (i64.load (i32.const 296 (;AI_LOG_AT;)))) (then (return (i32.const 0))))
    (if (i32.ne (i32.load16_u offset=8 (local.get $s)) (i32.load16_u (i32.const 304 (;AI_LOG_TAIL_AT;)))) (then (return (i32.const 0))))
    ;; ACCESS_PREFIX_MIN: the fields before response_code take at least 200 bytes.
    (local.set $from (i32.add (local.get $s) (i32.const 200)))
    (if (i32.gt_u (local.get $from) (local.get $e)) (then (local.set $from (local.get $e))))
    (local.set $p (call $responseCode (local.get $from) (local.get $e)))
    (if (i32.lt_s (local.get $p) (i32.const 0)) (then (return (i32.const 0))))
    (if (i32.gt_u (i32.add (local.get $p) (i32.const 40)) (local.get $e)) (then (return (i32.const 0))))
    ;; The code: [1-4] then two digits.
    (local.set $c (i32.add (local.get $p) (i32.const 17)))
    (if (i32.gt_u (i32.sub (i32.load8_u (local.get $c)) (i32.const 49)) (i32.const 3)) (then (return (i32.const 0))))
    (if (i32.gt_u (i32.sub (i32.load8_u offset=1 (local.get $c)) (i32.const 48)) (i32.const 9)) (then (return (i32.const 0))))
    (if (i32.gt_u (i32.sub (i32.load8_u offset=2 (local.get $c)) (i32.const 48)) (i32.const 9)) (then (return (i32.const 0))))
    ;; Then `","response_flags":"` and `-"`.
    (if (i32.eqz (i8x16.all_true (i8x16.eq (v128.load offset=3 (local.get $c)) (v128.load (i32.const 272 (;FLAGS_AT;))))))
      (then (return (i32.const 0))))
    (if (i32.ne (i32.load offset=19 (local.get $c)) (i32.load (i32.const 288 (;FLAGS_TAIL_AT;)))) (then (return (i32.const 0))))
    (if (i32.ne (i32.load8_u offset=23 (local.get $c)) (i32.const 45)) (then (return (i32.const 0))))
    (i32.eq (i32.load8_u offset=24 (local.get $c)) (i32.const 34)))

  ;; The line [s, e), which starts `[`, is what the prefilter classifies as a skippable `access-text` line: Istio's
  ;; TEXT access log with a 1xx–4xx code and no response flags. classifyInner's checks (a digit, the date's `T`)
  ;; and classifyAccessText's, in their order and with their bounds; bytes past e are the line's terminator,
  ;; which no check takes, as in the JavaScript. Returns 2 (the layout's number in scan's records) or 0.
  (func $textSkippable (param $s i32) (param $e i32) (result i32)
    (local $p i32) (local $limit i32) (local $c i32) (local $m i32)
    (if (i32.gt_u (i32.sub (i32.load8_u offset=1 (local.get $s)) (i32.const 48)) (i32.const 9)) (then (return (i32.const 0))))
    (if (i32.ne (i32.load8_u offset=11 (local.get $s)) (i32.const 84)) (then (return (i32.const 0))))
    ;; The time's `]` between s + 20 and s + 40 (the byte at the bound is looked at too).
    (local.set $p (i32.add (local.get $s) (i32.const 20)))
    (local.set $limit (i32.add (local.get $s) (i32.const 40)))
    (if (i32.gt_u (local.get $limit) (local.get $e)) (then (local.set $limit (local.get $e))))
    (block $bracket
      (loop $time
        (br_if $bracket (i32.ge_u (local.get $p) (local.get $limit)))
        (br_if $bracket (i32.eq (i32.load8_u (local.get $p)) (i32.const 93)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $time)))
    (if (i32.or (i32.ne (i32.load8_u (local.get $p)) (i32.const 93))
                (i32.or (i32.ne (i32.load8_u offset=1 (local.get $p)) (i32.const 32)) (i32.ne (i32.load8_u offset=2 (local.get $p)) (i32.const 34))))
      (then (return (i32.const 0))))
    ;; The request's closing `" `, within 4096 bytes.
    (local.set $p (i32.add (local.get $p) (i32.const 3)))
    (local.set $limit (i32.add (local.get $p) (i32.const 4096 (;REQUEST_LIMIT;))))
    (if (i32.gt_u (local.get $limit) (local.get $e)) (then (local.set $limit (local.get $e))))
    ;; 16 positions at a time: a quote there and a space after it; positions past the limit are not taken.
    (block $request
      (loop $quote
        (br_if $request (i32.ge_u (local.get $p) (local.get $limit)))
        (local.set $m
          (i8x16.bitmask
            (v128.and (i8x16.eq (v128.load (local.get $p)) (i8x16.splat (i32.const 34)))
                      (i8x16.eq (v128.load offset=1 (local.get $p)) (i8x16.splat (i32.const 32))))))
        (if (local.get $m)
          (then
            (local.set $p (i32.add (local.get $p) (i32.ctz (local.get $m))))
            (if (i32.gt_u (local.get $p) (local.get $limit)) (then (local.set $p (local.get $limit))))
            (br $request)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $quote)))
    (if (i32.ge_u (local.get $p) (local.get $limit)) (then (return (i32.const 0))))
    ;; The code ([1-4] and two digits), a space, `-` and a space.
    (local.set $c (i32.add (local.get $p) (i32.const 2)))
    (if (i32.gt_u (i32.sub (i32.load8_u (local.get $c)) (i32.const 49)) (i32.const 3)) (then (return (i32.const 0))))
    (if (i32.gt_u (i32.sub (i32.load8_u offset=1 (local.get $c)) (i32.const 48)) (i32.const 9)) (then (return (i32.const 0))))
    (if (i32.gt_u (i32.sub (i32.load8_u offset=2 (local.get $c)) (i32.const 48)) (i32.const 9)) (then (return (i32.const 0))))
    (if (i32.ne (i32.load8_u offset=3 (local.get $c)) (i32.const 32)) (then (return (i32.const 0))))
    (if (i32.and (i32.eq (i32.load8_u offset=4 (local.get $c)) (i32.const 45)) (i32.eq (i32.load8_u offset=5 (local.get $c)) (i32.const 32)))
      (then (return (i32.const 2))))
    (i32.const 0))

  ;; The whole lines of [s, e): a record for each line (with skipAccess, each but the skippable
  ;; access lines, which are counted into the next record: a positive count for JSON lines, a
  ;; negative one for TEXT lines). Where the layout of the skipped lines changes, a record with no
  ;; line (start and newline -1) closes the run before it. Stops at the last newline or when the
  ;; records are full. Returns the number of records.
  (func (export "scan") (param $s i32) (param $e i32) (param $skipAccess i32) (result i32)
    (local $pos i32) (local $nl i32) (local $skip i32) (local $o i32) (local $kind i32)
    (local.set $pos (local.get $s))
    (local.set $o (i32.const 1024 (;RECORDS_AT;)))
    (block $stop
      (loop $line
        (local.set $nl (call $newline (local.get $pos) (local.get $e)))
        (br_if $stop (i32.ge_u (local.get $nl) (local.get $e)))
        (local.set $kind (if (result i32) (local.get $skipAccess) (then (call $skippable (local.get $pos) (local.get $nl))) (else (i32.const 0))))
        (if (local.get $kind)
          (then
            ;; A run of the other layout ends here: a record of its own carries it.
            (if (i32.and (i32.ne (local.get $skip) (i32.const 0))
                         (i32.ne (i32.gt_s (local.get $skip) (i32.const 0)) (i32.eq (local.get $kind) (i32.const 1))))
              (then
                (br_if $stop (i32.ge_u (local.get $o) (i32.const 50176 (;RECORDS_END;))))
                (i32.store (local.get $o) (i32.const -1))
                (i32.store offset=4 (local.get $o) (i32.const -1))
                (i32.store offset=8 (local.get $o) (local.get $skip))
                (local.set $skip (i32.const 0))
                (local.set $o (i32.add (local.get $o) (i32.const 12)))))
            (local.set $skip (i32.add (local.get $skip) (if (result i32) (i32.eq (local.get $kind) (i32.const 1)) (then (i32.const 1)) (else (i32.const -1))))))
          (else
            ;; The records end at RECORDS_AT + INDEX_RECORDS * 12.
            (br_if $stop (i32.ge_u (local.get $o) (i32.const 50176 (;RECORDS_END;))))
            ;; Offsets in the input piece, as the scanner uses them.
            (i32.store (local.get $o) (i32.sub (local.get $pos) (i32.const 65536 (;INPUT_AT;))))
            (i32.store offset=4 (local.get $o) (i32.sub (local.get $nl) (i32.const 65536 (;INPUT_AT;))))
            (i32.store offset=8 (local.get $o) (local.get $skip))
            (local.set $skip (i32.const 0))
            (local.set $o (i32.add (local.get $o) (i32.const 12)))))
        (local.set $pos (i32.add (local.get $nl) (i32.const 1)))
        (br $line)))
    (global.set $consumed (i32.sub (local.get $pos) (i32.const 65536 (;INPUT_AT;))))
    (global.set $tailSkip (local.get $skip))
    (i32.div_u (i32.sub (local.get $o) (i32.const 1024 (;RECORDS_AT;))) (i32.const 12)))

  ;; Whether [s, e) holds `\u` or one of the `count` 4-byte needles: needle k is at NEEDLES_AT + 64k as
  ;; its four bytes, each splatted to 16 lanes. 16 positions at a time while a whole block fits,
  ;; then one by one.
  (func (export "hasNeedle") (param $s i32) (param $e i32) (param $count i32) (result i32)
    (local $i i32) (local $k i32) (local $t i32) (local $acc v128)
    (local $l0 v128) (local $l1 v128) (local $l2 v128) (local $l3 v128)
    (local.set $i (local.get $s))
    (block $tail
      (loop $block
        ;; Positions i..i+15 need bytes up to i+18.
        (br_if $tail (i32.gt_s (i32.add (local.get $i) (i32.const 19)) (local.get $e)))
        (local.set $l0 (v128.load (local.get $i)))
        (local.set $l1 (v128.load offset=1 (local.get $i)))
        (local.set $l2 (v128.load offset=2 (local.get $i)))
        (local.set $l3 (v128.load offset=3 (local.get $i)))
        (local.set $acc (v128.and (i8x16.eq (local.get $l0) (i8x16.splat (i32.const 92)))
                                  (i8x16.eq (local.get $l1) (i8x16.splat (i32.const 117)))))
        (local.set $k (i32.const 0))
        (local.set $t (i32.const 51200 (;NEEDLES_AT;)))
        (loop $needle
          (if (i32.lt_u (local.get $k) (local.get $count))
            (then
              (local.set $acc
                (v128.or (local.get $acc)
                  (v128.and
                    (v128.and (i8x16.eq (local.get $l0) (v128.load (local.get $t)))
                              (i8x16.eq (local.get $l1) (v128.load offset=16 (local.get $t))))
                    (v128.and (i8x16.eq (local.get $l2) (v128.load offset=32 (local.get $t)))
                              (i8x16.eq (local.get $l3) (v128.load offset=48 (local.get $t)))))))
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (local.set $t (i32.add (local.get $t) (i32.const 64)))
              (br $needle))))
        (if (v128.any_true (local.get $acc)) (then (return (i32.const 1))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $block)))
    (loop $byte
      (if (i32.lt_s (local.get $i) (local.get $e))
        (then
          (if (i32.and (i32.lt_s (i32.add (local.get $i) (i32.const 1)) (local.get $e))
                       (i32.eq (i32.load16_u (local.get $i)) (i32.const 0x755c)))
            (then (return (i32.const 1))))
          (if (i32.le_s (i32.add (local.get $i) (i32.const 4)) (local.get $e))
            (then
              (local.set $k (i32.const 0))
              (local.set $t (i32.const 51200 (;NEEDLES_AT;)))
              (loop $needle1
                (if (i32.lt_u (local.get $k) (local.get $count))
                  (then
                    ;; The needle's four bytes, from the first lane of each splat.
                    (if (i32.eq (i32.load (local.get $i))
                          (i32.or
                            (i32.or (i32.load8_u (local.get $t)) (i32.shl (i32.load8_u offset=16 (local.get $t)) (i32.const 8)))
                            (i32.or (i32.shl (i32.load8_u offset=32 (local.get $t)) (i32.const 16))
                                    (i32.shl (i32.load8_u offset=48 (local.get $t)) (i32.const 24)))))
                      (then (return (i32.const 1))))
                    (local.set $k (i32.add (local.get $k) (i32.const 1)))
                    (local.set $t (i32.add (local.get $t) (i32.const 64)))
                    (br $needle1))))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $byte))))
    (i32.const 0))

  ;; context-lane.ts maskedKey, for a line in this memory: a hash of b[s, e) in which every whole
  ;; token of 8+ hex digits and dashes that holds a digit counts as one placeholder. Two 32-bit
  ;; FNV-style hashes, returned as h * 2^21 + (g & 0x1fffff), exactly as the JavaScript computes it.
  ;; Tables: HEX_CLASS_AT (2 digit, 1 hex letter or dash), WORD_AT (1 for [0-9A-Za-z_]).
  (func (export "maskedKey") (param $s i32) (param $e i32) (result f64)
    (local $i i32) (local $c i32) (local $k i32) (local $h i32) (local $g i32) (local $len i32)
    (local $run i32) (local $run2 i32) (local $runStart i32) (local $digit i32) (local $id i32)
    (local.set $h (i32.const 0x811c9dc5))
    (local.set $g (i32.const 0x2545f491))
    (local.set $runStart (i32.const -1))
    (local.set $i (local.get $s))
    (block $done
      (loop $byte
        ;; Past the end, a space: it ends a run the way any other separator does.
        (local.set $c (if (result i32) (i32.lt_u (local.get $i) (local.get $e))
          (then (i32.load8_u (local.get $i))) (else (i32.const 32))))
        (local.set $k (i32.load8_u offset=512 (;HEX_CLASS_AT;) (local.get $c)))
        (if (local.get $k)
          (then
            (if (i32.lt_s (local.get $runStart) (i32.const 0))
              (then
                (local.set $runStart (local.get $i))
                (local.set $run (i32.const 0x811c9dc5))
                (local.set $run2 (i32.const 0x2545f491))
                (local.set $digit (i32.const 0))))
            (local.set $run (i32.mul (i32.xor (local.get $run) (local.get $c)) (i32.const 0x01000193)))
            (local.set $run2 (i32.mul (i32.xor (local.get $run2) (local.get $c)) (i32.const 0x5bd1e995)))
            (local.set $digit (i32.or (local.get $digit) (local.get $k)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $byte)))
        (if (i32.ge_s (local.get $runStart) (i32.const 0))
          (then
            ;; A whole token (not part of a word) of 8+ characters with a digit: an id.
            (local.set $id
              (i32.and
                (i32.and
                  (i32.ge_u (i32.sub (local.get $i) (local.get $runStart)) (i32.const 8))
                  (i32.ne (i32.and (local.get $digit) (i32.const 2)) (i32.const 0)))
                (i32.and
                  (i32.or (i32.eq (local.get $runStart) (local.get $s))
                          (i32.eqz (i32.load8_u offset=768 (;WORD_AT;) (i32.load8_u (i32.sub (local.get $runStart) (i32.const 1))))))
                  (i32.or (i32.eq (local.get $i) (local.get $e))
                          (i32.eqz (i32.load8_u offset=768 (;WORD_AT;) (local.get $c)))))))
            (if (local.get $id)
              (then
                (local.set $h (i32.mul (i32.xor (local.get $h) (i32.const 1)) (i32.const 0x01000193)))
                (local.set $g (i32.mul (i32.xor (local.get $g) (i32.const 1)) (i32.const 0x5bd1e995)))
                (local.set $len (i32.add (local.get $len) (i32.const 1))))
              (else
                (local.set $h (i32.mul (i32.xor (local.get $h) (local.get $run)) (i32.const 0x01000193)))
                (local.set $g (i32.mul (i32.xor (local.get $g) (local.get $run2)) (i32.const 0x5bd1e995)))
                (local.set $len (i32.add (local.get $len) (i32.sub (local.get $i) (local.get $runStart))))))
            (local.set $runStart (i32.const -1))))
        (br_if $done (i32.ge_u (local.get $i) (local.get $e)))
        (local.set $h (i32.mul (i32.xor (local.get $h) (local.get $c)) (i32.const 0x01000193)))
        (local.set $g (i32.mul (i32.xor (local.get $g) (local.get $c)) (i32.const 0x5bd1e995)))
        (local.set $len (i32.add (local.get $len) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $byte)))
    (local.set $g (i32.mul (i32.xor (local.get $g) (local.get $len)) (i32.const 0x5bd1e995)))
    (local.set $g (i32.xor (local.get $g) (i32.shr_u (local.get $g) (i32.const 15))))
    (f64.add
      (f64.mul (f64.convert_i32_u (local.get $h)) (f64.const 2097152))
      (f64.convert_i32_u (i32.and (local.get $g) (i32.const 0x1fffff)))))

  ;; The first byte in [i, e) that ends or breaks the plain run of a JSON string: `"`, `\`, a control
  ;; byte or one beyond ASCII (negative as a signed byte); e when none. 16 bytes at a time: the bytes
  ;; after e that a load reads are never taken.
  (func $stringStop (param $i i32) (param $e i32) (result i32)
    (local $m i32) (local $v v128)
    (block $none
      (loop $block
        (br_if $none (i32.ge_u (local.get $i) (local.get $e)))
        (local.set $v (v128.load (local.get $i)))
        (local.set $m
          (i8x16.bitmask
            (v128.or
              (v128.or (i8x16.eq (local.get $v) (i8x16.splat (i32.const 34)))
                       (i8x16.eq (local.get $v) (i8x16.splat (i32.const 92))))
              (i8x16.lt_s (local.get $v) (i8x16.splat (i32.const 32))))))
        (if (local.get $m)
          (then
            (local.set $i (i32.add (local.get $i) (i32.ctz (local.get $m))))
            (br_if $none (i32.ge_u (local.get $i) (local.get $e)))
            (return (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $block)))
    (local.get $e))

  ;; A flat JSON record in [s, e): `{"key":value,…}` with no white space, every key and string value
  ;; a plain run (no escape, printable ASCII), every value a string, `null`, `true`, `false` or a whole
  ;; number of at most 15 digits. That is a subset of JSON whose reading needs no decoding: JSON.parse
  ;; gives the same keys and values. For each of the `count` keys at KEYS_AT (KEY_LENGTHS_AT: which
  ;; keys have a length), SLOTS_AT gets where the last value under it lies (offsets from s): kind 0
  ;; absent, 1 a string (between the quotes), 2 null, 3 a number, 4 true or false. Returns 1 for such
  ;; a record, else 0 (the slots then say nothing). The byte at e is overwritten with 0, which no step
  ;; accepts: nothing is read past it but by a 16-byte load (the input's padding).
  (func (export "flatRecord") (param $s i32) (param $e i32) (param $count i32) (result i32)
    (local $i i32) (local $ks i32) (local $ke i32) (local $vs i32) (local $ve i32) (local $kind i32)
    (local $c i32) (local $k i32) (local $t i32) (local $j i32) (local $len i32) (local $m i32)
    (local.set $k (i32.const 0))
    (loop $clear
      (if (i32.lt_u (local.get $k) (local.get $count))
        (then
          (i32.store (i32.add (i32.const 53248 (;SLOTS_AT;)) (i32.mul (local.get $k) (i32.const 12))) (i32.const 0))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $clear))))
    (if (i32.lt_s (i32.sub (local.get $e) (local.get $s)) (i32.const 2)) (then (return (i32.const 0))))
    (if (i32.or (i32.ne (i32.load8_u (local.get $s)) (i32.const 123))
                (i32.ne (i32.load8_u (i32.sub (local.get $e) (i32.const 1))) (i32.const 125)))
      (then (return (i32.const 0))))
    (i32.store8 (local.get $e) (i32.const 0))
    (local.set $i (i32.add (local.get $s) (i32.const 1)))
    (loop $pair
      ;; The key.
      (if (i32.ne (i32.load8_u (local.get $i)) (i32.const 34)) (then (return (i32.const 0))))
      (local.set $ks (i32.add (local.get $i) (i32.const 1)))
      (local.set $ke (call $stringStop (local.get $ks) (local.get $e)))
      (if (i32.ne (i32.load8_u (local.get $ke)) (i32.const 34)) (then (return (i32.const 0))))
      (if (i32.ne (i32.load8_u offset=1 (local.get $ke)) (i32.const 58)) (then (return (i32.const 0))))
      (local.set $i (i32.add (local.get $ke) (i32.const 2)))
      ;; The value.
      (local.set $c (i32.load8_u (local.get $i)))
      (local.set $vs (local.get $i))
      (if (i32.eq (local.get $c) (i32.const 34))
        (then
          (local.set $vs (i32.add (local.get $i) (i32.const 1)))
          (local.set $ve (call $stringStop (local.get $vs) (local.get $e)))
          (if (i32.ne (i32.load8_u (local.get $ve)) (i32.const 34)) (then (return (i32.const 0))))
          (local.set $i (i32.add (local.get $ve) (i32.const 1)))
          (local.set $kind (i32.const 1)))
        (else
          (block $literal
            (if (i32.and (i32.eq (local.get $c) (i32.const 110))
                  (i32.and (i32.eq (i32.load8_u offset=1 (local.get $i)) (i32.const 117))
                    (i32.and (i32.eq (i32.load8_u offset=2 (local.get $i)) (i32.const 108))
                             (i32.eq (i32.load8_u offset=3 (local.get $i)) (i32.const 108)))))
              (then (local.set $ve (i32.add (local.get $i) (i32.const 4))) (local.set $kind (i32.const 2)) (br $literal)))
            (if (i32.and (i32.eq (local.get $c) (i32.const 116))
                  (i32.and (i32.eq (i32.load8_u offset=1 (local.get $i)) (i32.const 114))
                    (i32.and (i32.eq (i32.load8_u offset=2 (local.get $i)) (i32.const 117))
                             (i32.eq (i32.load8_u offset=3 (local.get $i)) (i32.const 101)))))
              (then (local.set $ve (i32.add (local.get $i) (i32.const 4))) (local.set $kind (i32.const 4)) (br $literal)))
            (if (i32.and (i32.eq (local.get $c) (i32.const 102))
                  (i32.and (i32.eq (i32.load8_u offset=1 (local.get $i)) (i32.const 97))
                    (i32.and (i32.eq (i32.load8_u offset=2 (local.get $i)) (i32.const 108))
                      (i32.and (i32.eq (i32.load8_u offset=3 (local.get $i)) (i32.const 115))
                               (i32.eq (i32.load8_u offset=4 (local.get $i)) (i32.const 101))))))
              (then (local.set $ve (i32.add (local.get $i) (i32.const 5))) (local.set $kind (i32.const 4)) (br $literal)))
            (local.set $kind (i32.const 3))
            (if (i32.eq (local.get $c) (i32.const 48))
              (then (local.set $ve (i32.add (local.get $i) (i32.const 1))) (br $literal)))
            ;; 1-9, then at most 14 more digits.
            (if (i32.gt_u (i32.sub (local.get $c) (i32.const 49)) (i32.const 8)) (then (return (i32.const 0))))
            (local.set $ve (i32.add (local.get $i) (i32.const 1)))
            (block $digits
              (loop $digit
                (br_if $digits (i32.gt_u (i32.sub (i32.load8_u (local.get $ve)) (i32.const 48)) (i32.const 9)))
                (if (i32.ge_u (i32.sub (local.get $ve) (local.get $i)) (i32.const 15)) (then (return (i32.const 0))))
                (local.set $ve (i32.add (local.get $ve) (i32.const 1)))
                (br $digit))))
          (local.set $i (local.get $ve))))
      ;; A key asked for: its slot takes this value (a later duplicate replaces it, as in JSON.parse).
      ;; KEY_LENGTHS_AT says which of the keys have this length (bit k for key k): only those are compared.
      (local.set $len (i32.sub (local.get $ke) (local.get $ks)))
      (if (i32.lt_u (local.get $len) (i32.const 48 (;KEY_ENTRY;)))
        (then
          (local.set $m (i32.load (i32.add (i32.const 53504 (;KEY_LENGTHS_AT;)) (i32.shl (local.get $len) (i32.const 2)))))
          (block $found
            (loop $key
              (br_if $found (i32.eqz (local.get $m)))
              (local.set $k (i32.ctz (local.get $m)))
              (local.set $m (i32.and (local.get $m) (i32.sub (local.get $m) (i32.const 1))))
              (local.set $t (i32.add (i32.const 52224 (;KEYS_AT;)) (i32.mul (local.get $k) (i32.const 48 (;KEY_ENTRY;)))))
              (local.set $j (i32.const 0))
              (block $differ
                (loop $byte
                  (if (i32.lt_u (local.get $j) (local.get $len))
                    (then
                      (br_if $differ (i32.ne (i32.load8_u (i32.add (local.get $ks) (local.get $j)))
                                             (i32.load8_u offset=1 (i32.add (local.get $t) (local.get $j)))))
                      (local.set $j (i32.add (local.get $j) (i32.const 1)))
                      (br $byte))))
                (local.set $t (i32.add (i32.const 53248 (;SLOTS_AT;)) (i32.mul (local.get $k) (i32.const 12))))
                (i32.store (local.get $t) (local.get $kind))
                (i32.store offset=4 (local.get $t) (i32.sub (local.get $vs) (local.get $s)))
                (i32.store offset=8 (local.get $t) (i32.sub (local.get $ve) (local.get $s)))
                (br $found))
              (br $key)))))
      ;; Then another pair, or the end of the record at the end of the input.
      (local.set $c (i32.load8_u (local.get $i)))
      (if (i32.eq (local.get $c) (i32.const 44))
        (then
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $pair))))
    (i32.and (i32.eq (local.get $c) (i32.const 125)) (i32.eq (local.get $i) (i32.sub (local.get $e) (i32.const 1)))))

  ;; prefilter.ts isTextAccessRecord, for a line in this memory: [s, e) is one record of Istio's TEXT access log
  ;; as the parser reads it — `[YYYY-MM-DDT…Z] "`, no byte beyond ASCII and no backslash, then at least 16
  ;; fields (quoted strings or runs of non-space bytes, at most 40 looked at), the second one 1–3 digits.
  ;; The same steps in the same order; nothing at or after e is read but by a 16-byte load.
  (func (export "textRecord") (param $s i32) (param $e i32) (result i32)
    (local $p i32) (local $q i32) (local $first i32) (local $close i32) (local $tokens i32) (local $c i32) (local $v v128)
    (if (i32.lt_s (i32.sub (local.get $e) (local.get $s)) (i32.const 40)) (then (return (i32.const 0))))
    (if (i32.or (i32.or (i32.ne (i32.load8_u (local.get $s)) (i32.const 91)) (i32.ne (i32.load8_u offset=11 (local.get $s)) (i32.const 84)))
                (i32.or (i32.ne (i32.load8_u offset=5 (local.get $s)) (i32.const 45)) (i32.ne (i32.load8_u offset=8 (local.get $s)) (i32.const 45))))
      (then (return (i32.const 0))))
    ;; The date's digits: offsets 1-4, 6-7, 9-10.
    (if (i32.or
          (i32.or (i32.or (i32.gt_u (i32.sub (i32.load8_u offset=1 (local.get $s)) (i32.const 48)) (i32.const 9))
                          (i32.gt_u (i32.sub (i32.load8_u offset=2 (local.get $s)) (i32.const 48)) (i32.const 9)))
                  (i32.or (i32.gt_u (i32.sub (i32.load8_u offset=3 (local.get $s)) (i32.const 48)) (i32.const 9))
                          (i32.gt_u (i32.sub (i32.load8_u offset=4 (local.get $s)) (i32.const 48)) (i32.const 9))))
          (i32.or (i32.or (i32.gt_u (i32.sub (i32.load8_u offset=6 (local.get $s)) (i32.const 48)) (i32.const 9))
                          (i32.gt_u (i32.sub (i32.load8_u offset=7 (local.get $s)) (i32.const 48)) (i32.const 9)))
                  (i32.or (i32.gt_u (i32.sub (i32.load8_u offset=9 (local.get $s)) (i32.const 48)) (i32.const 9))
                          (i32.gt_u (i32.sub (i32.load8_u offset=10 (local.get $s)) (i32.const 48)) (i32.const 9)))))
      (then (return (i32.const 0))))
    ;; The time: digits, colons and dots, then `Z] "` wholly in the line.
    (local.set $p (i32.add (local.get $s) (i32.const 12)))
    (block $timeEnd
      (loop $time
        (br_if $timeEnd (i32.ge_u (local.get $p) (local.get $e)))
        (local.set $c (i32.load8_u (local.get $p)))
        (br_if $timeEnd (i32.and (i32.gt_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 9))
                                 (i32.and (i32.ne (local.get $c) (i32.const 58)) (i32.ne (local.get $c) (i32.const 46)))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $time)))
    (if (i32.or (i32.eq (local.get $p) (i32.add (local.get $s) (i32.const 12)))
                (i32.ge_u (i32.add (local.get $p) (i32.const 3)) (local.get $e)))
      (then (return (i32.const 0))))
    (if (i32.ne (i32.load (local.get $p)) (i32.const 0x22205d5a)) (then (return (i32.const 0))))
    ;; No byte beyond ASCII (negative as a signed byte) and no backslash: 16 at a time, then one by one.
    (local.set $q (local.get $s))
    (block $plainEnd
      (loop $plain16
        (br_if $plainEnd (i32.gt_u (i32.add (local.get $q) (i32.const 16)) (local.get $e)))
        (local.set $v (v128.load (local.get $q)))
        (if (v128.any_true (v128.or (i8x16.lt_s (local.get $v) (i8x16.splat (i32.const 0)))
                                    (i8x16.eq (local.get $v) (i8x16.splat (i32.const 92)))))
          (then (return (i32.const 0))))
        (local.set $q (i32.add (local.get $q) (i32.const 16)))
        (br $plain16)))
    (loop $plain1
      (if (i32.lt_u (local.get $q) (local.get $e))
        (then
          (local.set $c (i32.load8_u (local.get $q)))
          (if (i32.or (i32.ge_u (local.get $c) (i32.const 128)) (i32.eq (local.get $c) (i32.const 92))) (then (return (i32.const 0))))
          (local.set $q (i32.add (local.get $q) (i32.const 1)))
          (br $plain1))))
    ;; The fields from the request on.
    (local.set $p (i32.add (local.get $p) (i32.const 3)))
    (block $done
      (loop $token
        (br_if $done (i32.ge_u (local.get $tokens) (i32.const 40)))
        ;; Spaces as a regex's \s reads them in ASCII: TAB, LF, VT, FF, CR and the space.
        (block $spaced
          (loop $space
            (br_if $spaced (i32.ge_u (local.get $p) (local.get $e)))
            (local.set $c (i32.load8_u (local.get $p)))
            (br_if $spaced (i32.and (i32.ne (local.get $c) (i32.const 32)) (i32.gt_u (i32.sub (local.get $c) (i32.const 9)) (i32.const 4))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $space)))
        (br_if $done (i32.ge_u (local.get $p) (local.get $e)))
        (local.set $first (local.get $p))
        (local.set $close (i32.const -1))
        (if (i32.eq (i32.load8_u (local.get $p)) (i32.const 34))
          (then
            (local.set $q (i32.add (local.get $p) (i32.const 1)))
            (block $found
              (loop $quote
                (br_if $found (i32.ge_u (local.get $q) (local.get $e)))
                (if (i32.eq (i32.load8_u (local.get $q)) (i32.const 34))
                  (then (local.set $close (local.get $q)) (br $found)))
                (local.set $q (i32.add (local.get $q) (i32.const 1)))
                (br $quote)))))
        (if (i32.ge_s (local.get $close) (i32.const 0))
          (then (local.set $p (i32.add (local.get $close) (i32.const 1))))
          (else
            (block $run
              (loop $bare
                (br_if $run (i32.ge_u (local.get $p) (local.get $e)))
                (local.set $c (i32.load8_u (local.get $p)))
                (br_if $run (i32.or (i32.eq (local.get $c) (i32.const 32)) (i32.le_u (i32.sub (local.get $c) (i32.const 9)) (i32.const 4))))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $bare)))))
        ;; The status: 1-3 digits and nothing else.
        (if (i32.eq (local.get $tokens) (i32.const 1))
          (then
            (if (i32.or (i32.ge_s (local.get $close) (i32.const 0))
                        (i32.gt_u (i32.sub (i32.sub (local.get $p) (local.get $first)) (i32.const 1)) (i32.const 2)))
              (then (return (i32.const 0))))
            (local.set $q (local.get $first))
            (loop $digit
              (if (i32.lt_u (local.get $q) (local.get $p))
                (then
                  (if (i32.gt_u (i32.sub (i32.load8_u (local.get $q)) (i32.const 48)) (i32.const 9)) (then (return (i32.const 0))))
                  (local.set $q (i32.add (local.get $q) (i32.const 1)))
                  (br $digit))))))
        (local.set $tokens (i32.add (local.get $tokens) (i32.const 1)))
        (br $token)))
    (i32.ge_u (local.get $tokens) (i32.const 16)))

  ;; parse/layouts.ts accessTextTokens, for a line in this memory (plain ASCII, as the caller checked): the fields of
  ;; [s, e), at most 40, each a quoted string's content (a backslash escapes the next byte but a line end) or a run
  ;; of non-space bytes (a quote never closed starts one). TOKENS_AT gets each field's start and end; returns how
  ;; many. Spaces are what a regex's \s is in ASCII: TAB, LF, VT, FF, CR and the space.
  (func (export "textTokens") (param $s i32) (param $e i32) (result i32)
    (local $i i32) (local $j i32) (local $c i32) (local $end i32) (local $n i32) (local $o i32)
    (local.set $i (local.get $s))
    (local.set $o (i32.const 53760 (;TOKENS_AT;)))
    (block $done
      (loop $field
        (br_if $done (i32.ge_u (local.get $i) (local.get $e)))
        (br_if $done (i32.ge_u (local.get $n) (i32.const 40)))
        (local.set $c (i32.load8_u (local.get $i)))
        (if (i32.or (i32.eq (local.get $c) (i32.const 32)) (i32.le_u (i32.sub (local.get $c) (i32.const 9)) (i32.const 4)))
          (then
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $field)))
        (if (i32.eq (local.get $c) (i32.const 34))
          (then
            ;; Where the quoted string ends, or -1.
            (local.set $end (i32.const -1))
            (local.set $j (i32.add (local.get $i) (i32.const 1)))
            (block $closed
              (loop $inside
                (br_if $closed (i32.ge_u (local.get $j) (local.get $e)))
                (local.set $c (i32.load8_u (local.get $j)))
                (if (i32.eq (local.get $c) (i32.const 34)) (then (local.set $end (local.get $j)) (br $closed)))
                (if (i32.eq (local.get $c) (i32.const 92))
                  (then
                    (br_if $closed (i32.ge_u (i32.add (local.get $j) (i32.const 1)) (local.get $e)))
                    (local.set $c (i32.load8_u offset=1 (local.get $j)))
                    (br_if $closed (i32.or (i32.eq (local.get $c) (i32.const 10)) (i32.eq (local.get $c) (i32.const 13))))
                    (local.set $j (i32.add (local.get $j) (i32.const 2))))
                  (else (local.set $j (i32.add (local.get $j) (i32.const 1)))))
                (br $inside)))
            (if (i32.ge_s (local.get $end) (i32.const 0))
              (then
                (i32.store (local.get $o) (i32.add (local.get $i) (i32.const 1)))
                (i32.store offset=4 (local.get $o) (local.get $end))
                (local.set $o (i32.add (local.get $o) (i32.const 8)))
                (local.set $n (i32.add (local.get $n) (i32.const 1)))
                (local.set $i (i32.add (local.get $end) (i32.const 1)))
                (br $field)))))
        ;; A bare run.
        (local.set $j (i32.add (local.get $i) (i32.const 1)))
        (block $run
          (loop $bare
            (br_if $run (i32.ge_u (local.get $j) (local.get $e)))
            (local.set $c (i32.load8_u (local.get $j)))
            (br_if $run (i32.or (i32.eq (local.get $c) (i32.const 32)) (i32.le_u (i32.sub (local.get $c) (i32.const 9)) (i32.const 4))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $bare)))
        (i32.store (local.get $o) (local.get $i))
        (i32.store offset=4 (local.get $o) (local.get $j))
        (local.set $o (i32.add (local.get $o) (i32.const 8)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (local.set $i (local.get $j))
        (br $field)))
    (local.get $n))
)
