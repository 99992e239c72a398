import { describe, expect, it } from "vitest";
import { Prng } from "../../native-free-kernels/prng.js";

// Published outputs of the reference C implementation, https://prng.di.unimi.it/xoshiro128starstar.c (v1.1:
// result = rotl(s[1] * 5, 7) * 9).
describe("Prng reproduces the xoshiro128** 1.1 reference outputs", () => {
  it("matches rand_xoshiro's reference test for the state {1, 2, 3, 4}", () => {
    // rust-random/rngs, rand_xoshiro/src/xoshiro128starstar.rs, test `reference`: from_seed with little-endian
    // words 1, 2, 3, 4; "These values were produced with the reference implementation (v1.1)".
    // First value by hand: rotl(2 · 5, 7) · 9 = (10 << 7) · 9 = 1280 · 9 = 11520.
    const prng = Prng.fromState(1, 2, 3, 4);
    const expected = [
      11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804,
    ];
    expect(expected.map(() => prng.nextUint32())).toEqual(expected);
  });

  it("matches the xoshiro-6502 verification data (outputs and states) for a random 128-bit seed", () => {
    // edorfaus/xoshiro-6502, test-rom/testdata.asm: seed bytes 0C 4A 4D 96 95 B8 0A D4 CB DE 7F AD F0 F0 06 30 as
    // little-endian words, then per step the (plus, plusplus, starstar) outputs from the C reference; the
    // starstar column and the states after each step are checked here.
    const prng = Prng.fromState(0x964d4a0c, 0xd40ab895, 0xad7fdecb, 0x3006f0f0);
    const outputs = [0xf1391922, 0x6fe53806, 0xa5be2840, 0xf510ee70];
    const states = [
      [0x72410269, 0xef382c52, 0x2e43bec7, 0x62432f20],
      [0xff3a011b, 0xb33a90fc, 0x2c5a18ae, 0xd81b946b],
      [0x941b058c, 0x605a8949, 0xa641e1b5, 0x0824bb59],
      [0xfc65379c, 0x52006d70, 0x87487639, 0xf1908343],
    ];
    for (let i = 0; i < outputs.length; i++) {
      expect(prng.nextUint32()).toBe(outputs[i]);
      expect(prng.getState()).toEqual(states[i]);
    }
  });

  it("builds nextFloat from the top 27 and 26 bits of two consecutive draws", () => {
    // From the state {1, 2, 3, 4} the draws are 11520 and 0 (above): (11520 >>> 5) = 360, (0 >>> 6) = 0,
    // so the float is 360 · 2^26 / 2^53 = 360 / 2^27.
    expect(Prng.fromState(1, 2, 3, 4).nextFloat()).toBe(360 / 2 ** 27);
  });
});
