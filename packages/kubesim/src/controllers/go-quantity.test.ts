import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goQuantity } from './go-quantity.js';

// Expected texts are go-spew's output for the Quantity the controller holds (hasher/main.go dumps).
const fast = (value: string, scale: number, s: string, format: string): string =>
  `{i:(resource.int64Amount){value:(int64)${value} scale:(resource.Scale)${scale}} d:(resource.infDecAmount){Dec:(*inf.Dec)<nil>} s:(string)${s} Format:(resource.Format)${format}}`;

test('canonical strings are kept only when ParseQuantity keeps them', () => {
  assert.equal(goQuantity('100m').text, fast('100', -3, '100m', 'DecimalSI'));
  assert.equal(goQuantity('1Gi').text, fast('1073741824', 0, '1Gi', 'BinarySI'));
  // 128 is a multiple of 8, so ParseQuantity does not keep "128Mi".
  assert.equal(goQuantity('128Mi').text, fast('134217728', 0, '', 'BinarySI'));
  assert.equal(goQuantity('0').text, fast('0', 0, '0', 'DecimalSI'));
  assert.equal(goQuantity('1e3').text, fast('1', 3, '1e3', 'DecimalExponent'));
});

test('a quantity is parsed from the canonical string the server stores', () => {
  assert.equal(goQuantity('0.5').text, fast('500', -3, '500m', 'DecimalSI'));
  assert.equal(goQuantity('1000').text, fast('1', 3, '1k', 'DecimalSI'));
  assert.equal(goQuantity('1.5Gi').text, fast('1610612736', 0, '', 'BinarySI'));
});

test('digits beyond int64 become an inf.Dec rounded to nano, its big.Int in 64-bit words', () => {
  const q = goQuantity('123456789012345678901');
  assert.ok(q.exact);
  assert.match(
    q.text,
    /Dec:\(\*inf\.Dec\)\{unscaled:\(big\.Int\)\{neg:\(bool\)false abs:\(big\.nat\)\[14083847773602697728 6692605942\]\} scale:\(inf\.Scale\)9\}\}/,
  );
});

test('a string the parser rejects is not exact', () => {
  assert.equal(goQuantity('12XB').exact, false);
});
