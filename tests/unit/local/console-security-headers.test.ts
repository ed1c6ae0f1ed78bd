/**
 * The local console's security headers are the template's
 * ConsoleSecurityHeaders: the same headers and values, the CSP's directives
 * the same but for connect-src (the local API and the console's own origin
 * in place of execute-api and the hosted UI) and the HTTPS-only ones.
 */
import { describe, expect, test } from '@jest/globals';
import {
  consoleSecurityHeaders,
  parseContentSecurityPolicy,
  UnsupportedSecurityHeaderError,
} from '../../../local/console/security-headers.js';
import { readTemplate, type Template } from '../../../scripts/sam-template.js';

const origins = { apiUrl: 'http://127.0.0.1:3000', consoleOrigin: 'http://127.0.0.1:3001' };

interface PolicyConfig {
  SecurityHeadersConfig: Record<string, Record<string, unknown>>;
  CustomHeadersConfig: { Items: { Header: string; Value: string; Override: boolean }[] };
}

function policyConfig(template: Template): PolicyConfig {
  return template.Resources.ConsoleSecurityHeaders!.Properties!.ResponseHeadersPolicyConfig as PolicyConfig;
}

function templateCsp(template: Template): string {
  return (
    policyConfig(template).SecurityHeadersConfig.ContentSecurityPolicy!.ContentSecurityPolicy as Record<string, string>
  )['Fn::Sub']!;
}

describe("the local console's security headers", () => {
  const template = readTemplate();
  const headers = consoleSecurityHeaders(origins, template);

  test('every CSP directive of the template, connect-src naming the local API and console, without the HTTPS-only ones', () => {
    const deployed = parseContentSecurityPolicy(templateCsp(template));
    const local = parseContentSecurityPolicy(headers['Content-Security-Policy']!);

    const expected = deployed
      .filter(([name]) => name !== 'upgrade-insecure-requests')
      .map(([name, sources]) =>
        name === 'connect-src' ? [name, ["'self'", origins.apiUrl, origins.consoleOrigin]] : [name, sources],
      );
    expect(local).toEqual(expected);
    // What the console relies on, stated outright so a change to the template is a decision.
    expect(Object.fromEntries(local)).toMatchObject({
      'default-src': ["'none'"],
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      'form-action': ["'none'"],
      'frame-ancestors': ["'none'"],
      'require-trusted-types-for': ["'script'"],
      'trusted-types': ["'none'"],
    });
    expect(headers['Content-Security-Policy']).not.toContain('${');
    expect(headers['Content-Security-Policy']).not.toContain('upgrade-insecure-requests');
  });

  test('the other security headers and every custom header, with the template values; no HSTS over http', () => {
    const config = policyConfig(template);
    const security = config.SecurityHeadersConfig;
    expect(headers).toMatchObject({
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': security.FrameOptions!.FrameOption,
      'Referrer-Policy': security.ReferrerPolicy!.ReferrerPolicy,
    });
    expect(security.StrictTransportSecurity).toBeDefined();
    for (const { Header, Value } of config.CustomHeadersConfig.Items) expect(headers[Header]).toBe(Value);
    const names = Object.keys(headers).map((name) => name.toLowerCase());
    expect(names).not.toContain('strict-transport-security');
    expect(names.sort()).toEqual(
      [
        'content-security-policy',
        'x-content-type-options',
        'x-frame-options',
        'referrer-policy',
        ...config.CustomHeadersConfig.Items.map(({ Header }) => Header.toLowerCase()),
      ].sort(),
    );
  });

  test('a header the reader does not know, or a connect-src host without a local counterpart, fails loudly', () => {
    const withHeader = structuredClone(template);
    policyConfig(withHeader).SecurityHeadersConfig.SomethingNew = { Override: true };
    expect(() => consoleSecurityHeaders(origins, withHeader)).toThrow(UnsupportedSecurityHeaderError);

    const withHost = structuredClone(template);
    const csp = policyConfig(withHost).SecurityHeadersConfig.ContentSecurityPolicy!;
    csp.ContentSecurityPolicy = {
      'Fn::Sub': templateCsp(template).replace('connect-src', 'connect-src https://${Other}.example.com'),
    };
    expect(() => consoleSecurityHeaders(origins, withHost)).toThrow(/connect-src names https:\/\/\$\{Other\}/);
  });
});
