import { describe, expect, it } from 'vitest';
import { pluginFromName, pluginFromUrl, typeShort } from '../src/catalog/transforms.js';

describe('plugin names', () => {
  it.each([
    ['oci://higress-registry.cn-hangzhou.cr.aliyuncs.com/plugins/key-auth:1.0.0', 'key-auth'],
    ['http://localhost:8002/plugins/key-auth/1.0.0/plugin.wasm', 'key-auth'],
    ['http://higress-plugin-server.higress-system.svc/plugins/ai-proxy/1.0.1/plugin.wasm', 'ai-proxy'],
    ['htttp://10.8.0.12:8081/plugins/cors.wasm', 'cors'],
    ['http://localhost:9000/ai-proxy.wasm', 'ai-proxy'],
    ['https://artifacts.example.com/wasm/header-rewrite/v0.4.2/plugin.wasm', 'header-rewrite'],
    ['oci://registry.example.io/wasm/basic-auth:0.9.1', 'basic-auth'],
    ['oci://192.168.50.3:5000/wasm/my-rewrite@sha256:abcd', 'my-rewrite'],
    ['http://172.31.5.9/wasm/plugin.wasm', ''],
    ['http://192.168.10.20:8080/plugin.wasm', ''],
    ['http://10.0.0.5:8080/${name}.wasm', ''],
    ['higress-system.ai-guard-1.0.0', 'ai-guard'],
  ])('%s → %s', (url, name) => {
    expect(pluginFromUrl(url)).toBe(name);
  });
  it('reads Higress resource names', () => {
    expect(pluginFromName('higress-system.key-auth-1.0.0')).toBe('key-auth');
    expect(pluginFromName('higress-system.mcp-server.internal')).toBe('mcp-server');
    expect(pluginFromName('waf')).toBe('waf');
  });
  it('shortens type URLs', () => {
    expect(typeShort('type.googleapis.com/envoy.config.listener.v3.Listener')).toBe('Listener');
  });
});
