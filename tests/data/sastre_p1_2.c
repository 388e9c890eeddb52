/* tu_sastre_p1_2 -- the Sastre test fixture, written by tests/data/make_sastre_fixture.py
 * from: spow-gen --family coupled --p 1/2 --lo 1e-3 --hi 1.001 --degree 8,12,12 --steps 3 --prec 256 --margin 0 --samples 2000 --format json
 * (replaced by spow-gen output once the generator writes Sastre forms).
 * ps/cheb/mono: the forms' exact polynomials rounded to double; the
 * certificates: the fitted table's, whose g the forms match to the
 * relative differences in the JSON's form_rel_diff. */
#include "spow.h"

static const double ps0[10] = { 0x1.297501f4e44acp-1, -0x1.f263978af51ebp-2, 0x1.ee664420f9a5fp-3, -0x1.b577dc1e773c0p-4, 0.0, 0x1.474cd6eb2ccdep-1, -0x1.3583861d47107p+0, 0x1.361647bb4e680p+0, -0x1.58cccee89934bp+0, 0x1.1c52deee8f85cp+1 };
static const double cheb0[9] = { 0x1.b10d5fe901ab1p+0, -0x1.28ff4d5709e20p+0, 0x1.b1afd8c38cd18p-1, -0x1.6c3281a115f7fp-1, 0x1.474cd6eb2ccdep-1, -0x1.3583861d47107p-1, 0x1.361647bb4e680p-1, -0x1.58cccee89934bp-1, 0x1.1c52deee8f85cp+0 };
static const double mono0[9] = { 0x1.0167f542a425bp+3, -0x1.43b5b78200b27p+8, 0x1.3338323c8a5b1p+12, -0x1.023d6f421265ap+15, 0x1.c548a63796f21p+16, -0x1.be31f5aeece1bp+17, 0x1.f02ddd215ef37p+17, -0x1.230030ecb5902p+17, 0x1.17d0b15580254p+15 };
static const double form0[9] = { -0x1.43b44b3233dbfp+3, -0x1.7d8a90c06abffp+3, 0x1.0a8fd935baa46p+3, 0x1.048e9a73fe11fp+3, 0x1.03e0d26050e39p+3, -0x1.c2bd6dfbadb3fp+0, 0x1.0e6968d995a0cp+0, -0x1.d75e33cfa99efp+2, 0x1.8a9cb6a04fc96p+1 };
static const double ps1[15] = { 0x1.8eedb2236a221p-1, -0x1.1e72b4cd0d71bp-2, 0x1.5dfcbd04130b9p-4, 0x1.8b97218b5142ep-6, 0.0, -0x1.1b08e98034b9dp-2, -0x1.03dff535037dep-3, 0x1.6a9f48d157589p-4, -0x1.6b7baec9786d8p-5, 0.0, 0x1.d62951bcfd94ep-3, -0x1.b0aa22d2f8fc9p-2, 0x1.9dc094c35f0e5p-2, -0x1.af4308b903223p-2, 0x1.46248402471d9p-1 };
static const double cheb1[13] = { 0x1.c9b2dc5b09d4ap-1, -0x1.06bfc09190bb7p-1, 0x1.53b362bcdf352p-2, -0x1.ffc01f221ab8cp-3, 0x1.9c5bb9066be52p-3, -0x1.59917ef703501p-3, 0x1.29881c96055d5p-3, -0x1.05c48742ab8c0p-3, 0x1.d62951bcfd94ep-4, -0x1.b0aa22d2f8fc9p-4, 0x1.9dc094c35f0e5p-4, -0x1.af4308b903223p-4, 0x1.46248402471d9p-3 };
static const double mono1[13] = { 0x1.a5cd2c21d72a0p+1, -0x1.2bfaaa12d8bbbp+4, 0x1.e094bb47397c0p+5, -0x1.799b087e970bdp+6, 0x1.4f1cd0a2f8eebp+6, -0x1.6f74d23ed71c3p+5, 0x1.0685e4f5fa2e4p+4, -0x1.f6c52752c6b6cp+1, 0x1.452eab563f38ep-1, -0x1.185cedc7e2318p-4, 0x1.34aeac39d3419p-8, -0x1.888d13003ba2dp-13, 0x1.b6a6efda7d320p-19 };
static const double form1[13] = { 0x1.968b1bcad214fp+3, -0x1.81aa6e9a0f402p+4, -0x1.20f3620dc5131p+4, -0x1.7e49a3f8c32cdp+2, -0x1.89ba8a53b5414p+0, 0x1.31bee4a7e1b40p+4, -0x1.be0d6d3e0952ep+1, 0x1.2c92e6b4d81edp+4, 0x1.cf5d92da23bbep-3, 0x1.15522a3dde018p-1, -0x1.a49a16ffd76a6p-1, 0x1.0cc291c116d0bp+3, -0x1.4ee75ae57e1a5p+0 };
static const double ps2[15] = { 0x1.fbd8a2afdc4e4p-1, -0x1.6921343c15561p-3, 0x1.3c826dd274bc3p-5, -0x1.33ed4a1e9b7d1p-7, 0.0, 0x1.80f155eecbcc6p-9, -0x1.cbfc0a03b1a74p-10, 0x1.18613c9a7663dp-11, -0x1.3f416a242a5d2p-13, 0.0, 0x1.c56010d31cf3dp-15, -0x1.242ca456d038cp-15, 0x1.7c02b0b32712fp-17, -0x1.f28f561024707p-19, 0x1.5a957f13d66dep-20 };
static const double cheb2[13] = { 0x1.fbdc2d6ffdf47p-1, -0x1.69523dce7c91ep-3, 0x1.3ebf10612f423p-5, -0x1.50bc9f398718bp-7, 0x1.8111d3f2b5a88p-9, -0x1.cc78add935b06p-11, 0x1.1b5941fbdcb1fp-12, -0x1.63c6feaf04643p-14, 0x1.c56010d31cf3dp-16, -0x1.242ca456d038cp-17, 0x1.7c02b0b32712fp-19, -0x1.f28f561024707p-21, 0x1.5a957f13d66dep-22 };
static const double mono2[13] = { 0x1.0f357094697f9p+1, -0x1.5978c978f846dp+2, 0x1.11a1f6481018fp+4, -0x1.3fd72434dcbb6p+5, 0x1.106d99b27e56cp+6, -0x1.559fb0e5acf3ep+6, 0x1.3d26791e3d7d4p+6, -0x1.b2be55a6994eep+5, 0x1.b2111ea942f91p+4, -0x1.32c0158bc95efp+3, 0x1.22a38fb74e8e7p+1, -0x1.4b0b788ba3b2dp-2, 0x1.56884722f29c5p-6 };
static const double form2[13] = { 0x1.13b852221a78cp-2, -0x1.12d35ae17db75p-3, 0x1.a53fd3af10ebcp-6, -0x1.0d3e8621ba98ap-2, 0x1.982df781df751p-4, -0x1.c5075ee5182c7p-3, 0x1.138e73b6f3c9cp-2, -0x1.4fe8362e72c24p-2, 0x1.61d2939ac5363p-2, 0x1.1ea184c8acd3ap+0, -0x1.51cb7411bd241p-2, 0x1.f191182f6eda1p-3, -0x1.26b239f9ed7efp-3 };

static const spow_step steps[3] = {
    { 8, 4, 2, 0x1.0c6f7a0b5ed8dp-20, 0x1.008323358f2e0p+0, 0x1.fefa6115f8d8ap+0, -0x1.0000217cc9fcdp+0,
      ps0, cheb0, mono0, 7, 0x1.7dc457b3453c5p-1, 0x1.09029f3cf752bp-4, 0x1.860c69bff0ff0p+1, SPOW_SCHEME_SASTRE, 2, 1, 0x1.0000000000000p-2, form0 },
    { 12, 4, 3, 0x1.12566db3180a9p-8, 0x1.2924e96773fb4p+3, 0x1.b94dfe43f7763p-3, -0x1.003b1d4eee634p+0,
      ps1, cheb1, mono1, 8, 0x1.73b2f80f70b65p-3, 0x1.57040a61f77ddp-1, 0x1.655b7b87594c3p+0, SPOW_SCHEME_SASTRE, 3, 1, 0x1.0000000000000p-2, form1 },
    { 12, 4, 3, 0x1.cb9bd3e2d8ae9p-2, 0x1.f2d847388ce1ap+0, 0x1.5562620e11410p+0, -0x1.9939ccbbcc050p+0,
      ps2, cheb2, mono2, 6, 0x1.d2c06fc43cb82p-24, 0x1.fffff8b4fea43p-1, 0x1.000003a580b4ap+0, SPOW_SCHEME_SASTRE, 3, 1, -0x1.8000000000000p-1, form2 },
};

const spow_table tu_sastre_p1_2 = {
    SPOW_TABLE_VERSION, "coupled_p1_2_lo1e-3_sastre", "coupled",
    1, 2, 0x1.0624dd2f1a9fcp-10, 0x1.004189374bc6ap+0,
    2, 1, 3, steps,
    0x1.d2c150f24ffa7p-24, 0x1.35dff322ce6c3p-23, 21,
    "spow-gen --family coupled --p 1/2 --lo 1e-3 --hi 1.001 --degree 8,12,12 --steps 3 --prec 256 --margin 0 --samples 2000 --format json"
};
