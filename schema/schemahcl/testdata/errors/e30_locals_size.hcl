# dialect: sqlite
# Forty lines would describe 2^40 values; evaluation stops at the first
# local past the cap, naming it.
locals {
  x1 = ["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]
  x2 = [local.x1, local.x1]
  x3 = [local.x2, local.x2]
  x4 = [local.x3, local.x3]
  x5 = [local.x4, local.x4]
  x6 = [local.x5, local.x5]
  x7 = [local.x6, local.x6]
  x8 = [local.x7, local.x7]
  x9 = [local.x8, local.x8]
  x10 = [local.x9, local.x9]
  x11 = [local.x10, local.x10]
  x12 = [local.x11, local.x11]
  x13 = [local.x12, local.x12]
  x14 = [local.x13, local.x13]
  x15 = [local.x14, local.x14]
  x16 = [local.x15, local.x15]
  x17 = [local.x16, local.x16]
  x18 = [local.x17, local.x17]
  x19 = [local.x18, local.x18]
  x20 = [local.x19, local.x19]
  x21 = [local.x20, local.x20]
  x22 = [local.x21, local.x21]
  x23 = [local.x22, local.x22]
  x24 = [local.x23, local.x23]
  x25 = [local.x24, local.x24]
  x26 = [local.x25, local.x25]
  x27 = [local.x26, local.x26]
  x28 = [local.x27, local.x27]
  x29 = [local.x28, local.x28]
  x30 = [local.x29, local.x29]
  x31 = [local.x30, local.x30]
  x32 = [local.x31, local.x31]
  x33 = [local.x32, local.x32]
  x34 = [local.x33, local.x33]
  x35 = [local.x34, local.x34]
  x36 = [local.x35, local.x35]
  x37 = [local.x36, local.x36]
  x38 = [local.x37, local.x37]
  x39 = [local.x38, local.x38]
  x40 = [local.x39, local.x39]
  s1 = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
  s2 = "${local.s1}${local.s1}"
  s3 = "${local.s2}${local.s2}"
  s4 = "${local.s3}${local.s3}"
  s5 = "${local.s4}${local.s4}"
  s6 = "${local.s5}${local.s5}"
  s7 = "${local.s6}${local.s6}"
  s8 = "${local.s7}${local.s7}"
  s9 = "${local.s8}${local.s8}"
  s10 = "${local.s9}${local.s9}"
  s11 = "${local.s10}${local.s10}"
  s12 = "${local.s11}${local.s11}"
  s13 = "${local.s12}${local.s12}"
  s14 = "${local.s13}${local.s13}"
  s15 = "${local.s14}${local.s14}"
  s16 = "${local.s15}${local.s15}"
  s17 = "${local.s16}${local.s16}"
  s18 = "${local.s17}${local.s17}"
  s19 = "${local.s18}${local.s18}"
  s20 = "${local.s19}${local.s19}"
  s21 = "${local.s20}${local.s20}"
  s22 = "${local.s21}${local.s21}"
  s23 = "${local.s22}${local.s22}"
  s24 = "${local.s23}${local.s23}"
  s25 = "${local.s24}${local.s24}"
  s26 = "${local.s25}${local.s25}"
  s27 = "${local.s26}${local.s26}"
  s28 = "${local.s27}${local.s27}"
  s29 = "${local.s28}${local.s28}"
  s30 = "${local.s29}${local.s29}"
  s31 = "${local.s30}${local.s30}"
  s32 = "${local.s31}${local.s31}"
  s33 = "${local.s32}${local.s32}"
  s34 = "${local.s33}${local.s33}"
  s35 = "${local.s34}${local.s34}"
  s36 = "${local.s35}${local.s35}"
  s37 = "${local.s36}${local.s36}"
  s38 = "${local.s37}${local.s37}"
  s39 = "${local.s38}${local.s38}"
  s40 = "${local.s39}${local.s39}"
}

schema "main" {}

table "t" {
  schema = schema.main
  column "id" {
    type    = int
    comment = local.s40
  }
}
