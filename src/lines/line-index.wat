;; The line index's kernel (line-index.ts; built by `npm run build:wasm`): finds the lines of a piece
;; of input with 128-bit SIMD compares and tells which are successful access-log lines the prefilter
;; skips (prefilter.ts classifyAccessJson), so JavaScript never visits them. Every other line is
;; written out as a record for the scanner.
;;
;; Memory (one instance per scanner; line-index.ts writes the tables and the input):
;;   0     Horspool shift table of `"response_code":"` (256 bytes)
;;   256   `"response_code":"`, its first 16 bytes
;;   272   `","response_flags":"` (20 bytes)
;;   296   `{"ai_log":` (10 bytes)
;;   1024  records, 12 bytes each (RECORDS of them): line start, its newline, skipped lines before it
;;   65536 the input piece (INPUT_BYTES), then 64 bytes of padding
(module
  (memory (export "memory") 6 6)
  ;; After scan: where the first line not looked at starts, and skipped lines after the last record.
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

  ;; The first `"response_code":"` wholly in [from, end), or -1: Horspool on its last byte (a quote),
  ;; the 16 bytes before it compared at once.
  (func $responseCode (param $from i32) (param $end i32) (result i32)
    (local $p i32) (local $c i32)
    (local.set $p (i32.add (local.get $from) (i32.const 16)))
    (block $none
      (loop $step
        (br_if $none (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $c (i32.load8_u (local.get $p)))
        (if (i32.eq (local.get $c) (i32.const 34))
          (then
            (if (i8x16.all_true (i8x16.eq (v128.load (i32.sub (local.get $p) (i32.const 16))) (v128.load (i32.const 256))))
              (then (return (i32.sub (local.get $p) (i32.const 16)))))))
        (local.set $p (i32.add (local.get $p) (i32.load8_u (local.get $c))))
        (br $step)))
    (i32.const -1))

  ;; The line [s, nl) is what the prefilter classifies as a skippable `access-json` line: the
  ;; default JSON access log, a 1xx–4xx response code and no response flags. The steps and bounds
  ;; are classifyInner's and classifyAccessJson's, in their order.
  (func $skippable (param $s i32) (param $nl i32) (result i32)
    (local $e i32) (local $p i32) (local $c i32) (local $from i32)
    ;; Longer than MAX_LINE_BYTES: the scanner cuts it first.
    (if (i32.gt_u (i32.sub (local.get $nl) (local.get $s)) (i32.const 65536)) (then (return (i32.const 0))))
    ;; CRLF: the CR belongs to the terminator.
    (local.set $e (local.get $nl))
    (if (i32.gt_u (local.get $e) (local.get $s))
      (then (if (i32.eq (i32.load8_u (i32.sub (local.get $e) (i32.const 1))) (i32.const 13))
        (then (local.set $e (i32.sub (local.get $e) (i32.const 1)))))))
    (if (i32.lt_u (i32.sub (local.get $e) (local.get $s)) (i32.const 24)) (then (return (i32.const 0))))
    (if (i64.ne (i64.load (local.get $s)) (i64.load (i32.const 296))) (then (return (i32.const 0))))
    (if (i32.ne (i32.load16_u offset=8 (local.get $s)) (i32.load16_u (i32.const 304))) (then (return (i32.const 0))))
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
    (if (i32.eqz (i8x16.all_true (i8x16.eq (v128.load offset=3 (local.get $c)) (v128.load (i32.const 272)))))
      (then (return (i32.const 0))))
    (if (i32.ne (i32.load offset=19 (local.get $c)) (i32.load (i32.const 288))) (then (return (i32.const 0))))
    (if (i32.ne (i32.load8_u offset=23 (local.get $c)) (i32.const 45)) (then (return (i32.const 0))))
    (i32.eq (i32.load8_u offset=24 (local.get $c)) (i32.const 34)))

  ;; The whole lines of [s, e): a record for each line (with skipAccess, each but the skippable
  ;; access lines, which are counted into the next record). Stops at the last newline or when the
  ;; records are full. Returns the number of records.
  (func (export "scan") (param $s i32) (param $e i32) (param $skipAccess i32) (result i32)
    (local $pos i32) (local $nl i32) (local $skip i32) (local $o i32)
    (local.set $pos (local.get $s))
    (local.set $o (i32.const 1024))
    (block $stop
      (loop $line
        (local.set $nl (call $newline (local.get $pos) (local.get $e)))
        (br_if $stop (i32.ge_u (local.get $nl) (local.get $e)))
        (if (i32.and (local.get $skipAccess) (call $skippable (local.get $pos) (local.get $nl)))
          (then (local.set $skip (i32.add (local.get $skip) (i32.const 1))))
          (else
            ;; RECORDS = 4096: the records end at 1024 + 4096 * 12.
            (br_if $stop (i32.ge_u (local.get $o) (i32.const 50176)))
            (i32.store (local.get $o) (local.get $pos))
            (i32.store offset=4 (local.get $o) (local.get $nl))
            (i32.store offset=8 (local.get $o) (local.get $skip))
            (local.set $skip (i32.const 0))
            (local.set $o (i32.add (local.get $o) (i32.const 12)))))
        (local.set $pos (i32.add (local.get $nl) (i32.const 1)))
        (br $line)))
    (global.set $consumed (local.get $pos))
    (global.set $tailSkip (local.get $skip))
    (i32.div_u (i32.sub (local.get $o) (i32.const 1024)) (i32.const 12)))
)
