package dev.wasm2jvm.compiler.text;

import java.util.HashMap;
import java.util.Map;

/**
 * The plain instructions of the text format: each spec name with its binary opcode and the kind of
 * its immediates. The structured instructions ({@code block}, {@code loop}, {@code if},
 * {@code try_table}, the legacy {@code try}) and {@code select} are parsed apart. An opcode is its
 * byte, or {@code prefix << 12 | subopcode} for the prefixed ones ({@code 0xFB}, {@code 0xFC},
 * {@code 0xFD}, {@code 0xFE}).
 */
final class Instructions {
    /** What follows an instruction's name. */
    enum Immediate {
        NONE, LABEL, BR_TABLE, FUNC, CALL_INDIRECT, TYPE, FIELD, TYPE_COUNT, TYPE_DATA, TYPE_ELEM, TYPE_TYPE,
        LOCAL, GLOBAL, TABLE, MEMORY, MEMARG, MEMARG_LANE, LANE, SHUFFLE, I32, I64, F32, F64, V128, HEAPTYPE,
        MEMORY_INIT, MEMORY_COPY, DATA, TABLE_INIT, TABLE_COPY, ELEM, FENCE, TAG, REF_TEST, BR_ON_CAST
    }

    /** @param align the natural alignment's exponent, for memory instructions */
    record Instruction(String name, int opcode, Immediate immediate, int align) {}

    private static final Map<String, Instruction> BY_NAME = new HashMap<>();

    static {
        """
        unreachable 0 none
        nop 1 none
        br c label
        br_if d label
        br_table e br_table
        return f none
        call 10 func
        call_indirect 11 call_indirect
        drop 1a none
        local.get 20 local
        local.set 21 local
        local.tee 22 local
        global.get 23 global
        global.set 24 global
        table.get 25 table
        table.set 26 table
        i32.load 28 memarg 2
        i64.load 29 memarg 3
        f32.load 2a memarg 2
        f64.load 2b memarg 3
        i32.load8_s 2c memarg 0
        i32.load8_u 2d memarg 0
        i32.load16_s 2e memarg 1
        i32.load16_u 2f memarg 1
        i64.load8_s 30 memarg 0
        i64.load8_u 31 memarg 0
        i64.load16_s 32 memarg 1
        i64.load16_u 33 memarg 1
        i64.load32_s 34 memarg 2
        i64.load32_u 35 memarg 2
        i32.store 36 memarg 2
        i64.store 37 memarg 3
        f32.store 38 memarg 2
        f64.store 39 memarg 3
        i32.store8 3a memarg 0
        i32.store16 3b memarg 1
        i64.store8 3c memarg 0
        i64.store16 3d memarg 1
        i64.store32 3e memarg 2
        memory.size 3f memory
        memory.grow 40 memory
        i32.const 41 i32
        i64.const 42 i64
        f32.const 43 f32
        f64.const 44 f64
        i32.eqz 45 none
        i32.eq 46 none
        i32.ne 47 none
        i32.lt_s 48 none
        i32.lt_u 49 none
        i32.gt_s 4a none
        i32.gt_u 4b none
        i32.le_s 4c none
        i32.le_u 4d none
        i32.ge_s 4e none
        i32.ge_u 4f none
        i64.eqz 50 none
        i64.eq 51 none
        i64.ne 52 none
        i64.lt_s 53 none
        i64.lt_u 54 none
        i64.gt_s 55 none
        i64.gt_u 56 none
        i64.le_s 57 none
        i64.le_u 58 none
        i64.ge_s 59 none
        i64.ge_u 5a none
        f32.eq 5b none
        f32.ne 5c none
        f32.lt 5d none
        f32.gt 5e none
        f32.le 5f none
        f32.ge 60 none
        f64.eq 61 none
        f64.ne 62 none
        f64.lt 63 none
        f64.gt 64 none
        f64.le 65 none
        f64.ge 66 none
        i32.clz 67 none
        i32.ctz 68 none
        i32.popcnt 69 none
        i32.add 6a none
        i32.sub 6b none
        i32.mul 6c none
        i32.div_s 6d none
        i32.div_u 6e none
        i32.rem_s 6f none
        i32.rem_u 70 none
        i32.and 71 none
        i32.or 72 none
        i32.xor 73 none
        i32.shl 74 none
        i32.shr_s 75 none
        i32.shr_u 76 none
        i32.rotl 77 none
        i32.rotr 78 none
        i64.clz 79 none
        i64.ctz 7a none
        i64.popcnt 7b none
        i64.add 7c none
        i64.sub 7d none
        i64.mul 7e none
        i64.div_s 7f none
        i64.div_u 80 none
        i64.rem_s 81 none
        i64.rem_u 82 none
        i64.and 83 none
        i64.or 84 none
        i64.xor 85 none
        i64.shl 86 none
        i64.shr_s 87 none
        i64.shr_u 88 none
        i64.rotl 89 none
        i64.rotr 8a none
        f32.abs 8b none
        f32.neg 8c none
        f32.ceil 8d none
        f32.floor 8e none
        f32.trunc 8f none
        f32.nearest 90 none
        f32.sqrt 91 none
        f32.add 92 none
        f32.sub 93 none
        f32.mul 94 none
        f32.div 95 none
        f32.min 96 none
        f32.max 97 none
        f32.copysign 98 none
        f64.abs 99 none
        f64.neg 9a none
        f64.ceil 9b none
        f64.floor 9c none
        f64.trunc 9d none
        f64.nearest 9e none
        f64.sqrt 9f none
        f64.add a0 none
        f64.sub a1 none
        f64.mul a2 none
        f64.div a3 none
        f64.min a4 none
        f64.max a5 none
        f64.copysign a6 none
        i32.wrap_i64 a7 none
        i32.trunc_f32_s a8 none
        i32.trunc_f32_u a9 none
        i32.trunc_f64_s aa none
        i32.trunc_f64_u ab none
        i64.extend_i32_s ac none
        i64.extend_i32_u ad none
        i64.trunc_f32_s ae none
        i64.trunc_f32_u af none
        i64.trunc_f64_s b0 none
        i64.trunc_f64_u b1 none
        f32.convert_i32_s b2 none
        f32.convert_i32_u b3 none
        f32.convert_i64_s b4 none
        f32.convert_i64_u b5 none
        f32.demote_f64 b6 none
        f64.convert_i32_s b7 none
        f64.convert_i32_u b8 none
        f64.convert_i64_s b9 none
        f64.convert_i64_u ba none
        f64.promote_f32 bb none
        i32.reinterpret_f32 bc none
        i64.reinterpret_f64 bd none
        f32.reinterpret_i32 be none
        f64.reinterpret_i64 bf none
        i32.extend8_s c0 none
        i32.extend16_s c1 none
        i64.extend8_s c2 none
        i64.extend16_s c3 none
        i64.extend32_s c4 none
        ref.null d0 heaptype
        ref.is_null d1 none
        ref.func d2 func
        i32.trunc_sat_f32_s fc000 none
        i32.trunc_sat_f32_u fc001 none
        i32.trunc_sat_f64_s fc002 none
        i32.trunc_sat_f64_u fc003 none
        i64.trunc_sat_f32_s fc004 none
        i64.trunc_sat_f32_u fc005 none
        i64.trunc_sat_f64_s fc006 none
        i64.trunc_sat_f64_u fc007 none
        memory.init fc008 memory_init
        data.drop fc009 data
        memory.copy fc00a memory_copy
        memory.fill fc00b memory
        table.init fc00c table_init
        elem.drop fc00d elem
        table.copy fc00e table_copy
        table.grow fc00f table
        table.size fc010 table
        table.fill fc011 table
        memory.atomic.notify fe000 memarg 2
        memory.atomic.wait32 fe001 memarg 2
        memory.atomic.wait64 fe002 memarg 3
        atomic.fence fe003 fence
        i32.atomic.load fe010 memarg 2
        i64.atomic.load fe011 memarg 3
        i32.atomic.load8_u fe012 memarg 0
        i32.atomic.load16_u fe013 memarg 1
        i64.atomic.load8_u fe014 memarg 0
        i64.atomic.load16_u fe015 memarg 1
        i64.atomic.load32_u fe016 memarg 2
        i32.atomic.store fe017 memarg 2
        i64.atomic.store fe018 memarg 3
        i32.atomic.store8 fe019 memarg 0
        i32.atomic.store16 fe01a memarg 1
        i64.atomic.store8 fe01b memarg 0
        i64.atomic.store16 fe01c memarg 1
        i64.atomic.store32 fe01d memarg 2
        i32.atomic.rmw.add fe01e memarg 2
        i64.atomic.rmw.add fe01f memarg 3
        i32.atomic.rmw8.add_u fe020 memarg 0
        i32.atomic.rmw16.add_u fe021 memarg 1
        i64.atomic.rmw8.add_u fe022 memarg 0
        i64.atomic.rmw16.add_u fe023 memarg 1
        i64.atomic.rmw32.add_u fe024 memarg 2
        i32.atomic.rmw.sub fe025 memarg 2
        i64.atomic.rmw.sub fe026 memarg 3
        i32.atomic.rmw8.sub_u fe027 memarg 0
        i32.atomic.rmw16.sub_u fe028 memarg 1
        i64.atomic.rmw8.sub_u fe029 memarg 0
        i64.atomic.rmw16.sub_u fe02a memarg 1
        i64.atomic.rmw32.sub_u fe02b memarg 2
        i32.atomic.rmw.and fe02c memarg 2
        i64.atomic.rmw.and fe02d memarg 3
        i32.atomic.rmw8.and_u fe02e memarg 0
        i32.atomic.rmw16.and_u fe02f memarg 1
        i64.atomic.rmw8.and_u fe030 memarg 0
        i64.atomic.rmw16.and_u fe031 memarg 1
        i64.atomic.rmw32.and_u fe032 memarg 2
        i32.atomic.rmw.or fe033 memarg 2
        i64.atomic.rmw.or fe034 memarg 3
        i32.atomic.rmw8.or_u fe035 memarg 0
        i32.atomic.rmw16.or_u fe036 memarg 1
        i64.atomic.rmw8.or_u fe037 memarg 0
        i64.atomic.rmw16.or_u fe038 memarg 1
        i64.atomic.rmw32.or_u fe039 memarg 2
        i32.atomic.rmw.xor fe03a memarg 2
        i64.atomic.rmw.xor fe03b memarg 3
        i32.atomic.rmw8.xor_u fe03c memarg 0
        i32.atomic.rmw16.xor_u fe03d memarg 1
        i64.atomic.rmw8.xor_u fe03e memarg 0
        i64.atomic.rmw16.xor_u fe03f memarg 1
        i64.atomic.rmw32.xor_u fe040 memarg 2
        i32.atomic.rmw.xchg fe041 memarg 2
        i64.atomic.rmw.xchg fe042 memarg 3
        i32.atomic.rmw8.xchg_u fe043 memarg 0
        i32.atomic.rmw16.xchg_u fe044 memarg 1
        i64.atomic.rmw8.xchg_u fe045 memarg 0
        i64.atomic.rmw16.xchg_u fe046 memarg 1
        i64.atomic.rmw32.xchg_u fe047 memarg 2
        i32.atomic.rmw.cmpxchg fe048 memarg 2
        i64.atomic.rmw.cmpxchg fe049 memarg 3
        i32.atomic.rmw8.cmpxchg_u fe04a memarg 0
        i32.atomic.rmw16.cmpxchg_u fe04b memarg 1
        i64.atomic.rmw8.cmpxchg_u fe04c memarg 0
        i64.atomic.rmw16.cmpxchg_u fe04d memarg 1
        i64.atomic.rmw32.cmpxchg_u fe04e memarg 2
        v128.load fd000 memarg 4
        v128.load8x8_s fd001 memarg 3
        v128.load8x8_u fd002 memarg 3
        v128.load16x4_s fd003 memarg 3
        v128.load16x4_u fd004 memarg 3
        v128.load32x2_s fd005 memarg 3
        v128.load32x2_u fd006 memarg 3
        v128.load8_splat fd007 memarg 0
        v128.load16_splat fd008 memarg 1
        v128.load32_splat fd009 memarg 2
        v128.load64_splat fd00a memarg 3
        v128.store fd00b memarg 4
        v128.const fd00c v128
        i8x16.shuffle fd00d shuffle
        i8x16.swizzle fd00e none
        i8x16.splat fd00f none
        i16x8.splat fd010 none
        i32x4.splat fd011 none
        i64x2.splat fd012 none
        f32x4.splat fd013 none
        f64x2.splat fd014 none
        i8x16.extract_lane_s fd015 lane
        i8x16.extract_lane_u fd016 lane
        i8x16.replace_lane fd017 lane
        i16x8.extract_lane_s fd018 lane
        i16x8.extract_lane_u fd019 lane
        i16x8.replace_lane fd01a lane
        i32x4.extract_lane fd01b lane
        i32x4.replace_lane fd01c lane
        i64x2.extract_lane fd01d lane
        i64x2.replace_lane fd01e lane
        f32x4.extract_lane fd01f lane
        f32x4.replace_lane fd020 lane
        f64x2.extract_lane fd021 lane
        f64x2.replace_lane fd022 lane
        i8x16.eq fd023 none
        i8x16.ne fd024 none
        i8x16.lt_s fd025 none
        i8x16.lt_u fd026 none
        i8x16.gt_s fd027 none
        i8x16.gt_u fd028 none
        i8x16.le_s fd029 none
        i8x16.le_u fd02a none
        i8x16.ge_s fd02b none
        i8x16.ge_u fd02c none
        i16x8.eq fd02d none
        i16x8.ne fd02e none
        i16x8.lt_s fd02f none
        i16x8.lt_u fd030 none
        i16x8.gt_s fd031 none
        i16x8.gt_u fd032 none
        i16x8.le_s fd033 none
        i16x8.le_u fd034 none
        i16x8.ge_s fd035 none
        i16x8.ge_u fd036 none
        i32x4.eq fd037 none
        i32x4.ne fd038 none
        i32x4.lt_s fd039 none
        i32x4.lt_u fd03a none
        i32x4.gt_s fd03b none
        i32x4.gt_u fd03c none
        i32x4.le_s fd03d none
        i32x4.le_u fd03e none
        i32x4.ge_s fd03f none
        i32x4.ge_u fd040 none
        f32x4.eq fd041 none
        f32x4.ne fd042 none
        f32x4.lt fd043 none
        f32x4.gt fd044 none
        f32x4.le fd045 none
        f32x4.ge fd046 none
        f64x2.eq fd047 none
        f64x2.ne fd048 none
        f64x2.lt fd049 none
        f64x2.gt fd04a none
        f64x2.le fd04b none
        f64x2.ge fd04c none
        v128.not fd04d none
        v128.and fd04e none
        v128.andnot fd04f none
        v128.or fd050 none
        v128.xor fd051 none
        v128.bitselect fd052 none
        v128.any_true fd053 none
        v128.load8_lane fd054 memarg_lane 0
        v128.load16_lane fd055 memarg_lane 1
        v128.load32_lane fd056 memarg_lane 2
        v128.load64_lane fd057 memarg_lane 3
        v128.store8_lane fd058 memarg_lane 0
        v128.store16_lane fd059 memarg_lane 1
        v128.store32_lane fd05a memarg_lane 2
        v128.store64_lane fd05b memarg_lane 3
        v128.load32_zero fd05c memarg 2
        v128.load64_zero fd05d memarg 3
        f32x4.demote_f64x2_zero fd05e none
        f64x2.promote_low_f32x4 fd05f none
        i8x16.abs fd060 none
        i8x16.neg fd061 none
        i8x16.popcnt fd062 none
        i8x16.all_true fd063 none
        i8x16.bitmask fd064 none
        i8x16.narrow_i16x8_s fd065 none
        i8x16.narrow_i16x8_u fd066 none
        f32x4.ceil fd067 none
        f32x4.floor fd068 none
        f32x4.trunc fd069 none
        f32x4.nearest fd06a none
        i8x16.shl fd06b none
        i8x16.shr_s fd06c none
        i8x16.shr_u fd06d none
        i8x16.add fd06e none
        i8x16.add_sat_s fd06f none
        i8x16.add_sat_u fd070 none
        i8x16.sub fd071 none
        i8x16.sub_sat_s fd072 none
        i8x16.sub_sat_u fd073 none
        f64x2.ceil fd074 none
        f64x2.floor fd075 none
        i8x16.min_s fd076 none
        i8x16.min_u fd077 none
        i8x16.max_s fd078 none
        i8x16.max_u fd079 none
        f64x2.trunc fd07a none
        i8x16.avgr_u fd07b none
        i16x8.extadd_pairwise_i8x16_s fd07c none
        i16x8.extadd_pairwise_i8x16_u fd07d none
        i32x4.extadd_pairwise_i16x8_s fd07e none
        i32x4.extadd_pairwise_i16x8_u fd07f none
        i16x8.abs fd080 none
        i16x8.neg fd081 none
        i16x8.q15mulr_sat_s fd082 none
        i16x8.all_true fd083 none
        i16x8.bitmask fd084 none
        i16x8.narrow_i32x4_s fd085 none
        i16x8.narrow_i32x4_u fd086 none
        i16x8.extend_low_i8x16_s fd087 none
        i16x8.extend_high_i8x16_s fd088 none
        i16x8.extend_low_i8x16_u fd089 none
        i16x8.extend_high_i8x16_u fd08a none
        i16x8.shl fd08b none
        i16x8.shr_s fd08c none
        i16x8.shr_u fd08d none
        i16x8.add fd08e none
        i16x8.add_sat_s fd08f none
        i16x8.add_sat_u fd090 none
        i16x8.sub fd091 none
        i16x8.sub_sat_s fd092 none
        i16x8.sub_sat_u fd093 none
        f64x2.nearest fd094 none
        i16x8.mul fd095 none
        i16x8.min_s fd096 none
        i16x8.min_u fd097 none
        i16x8.max_s fd098 none
        i16x8.max_u fd099 none
        i16x8.avgr_u fd09b none
        i16x8.extmul_low_i8x16_s fd09c none
        i16x8.extmul_high_i8x16_s fd09d none
        i16x8.extmul_low_i8x16_u fd09e none
        i16x8.extmul_high_i8x16_u fd09f none
        i32x4.abs fd0a0 none
        i32x4.neg fd0a1 none
        i32x4.all_true fd0a3 none
        i32x4.bitmask fd0a4 none
        i32x4.extend_low_i16x8_s fd0a7 none
        i32x4.extend_high_i16x8_s fd0a8 none
        i32x4.extend_low_i16x8_u fd0a9 none
        i32x4.extend_high_i16x8_u fd0aa none
        i32x4.shl fd0ab none
        i32x4.shr_s fd0ac none
        i32x4.shr_u fd0ad none
        i32x4.add fd0ae none
        i32x4.sub fd0b1 none
        i32x4.mul fd0b5 none
        i32x4.min_s fd0b6 none
        i32x4.min_u fd0b7 none
        i32x4.max_s fd0b8 none
        i32x4.max_u fd0b9 none
        i32x4.dot_i16x8_s fd0ba none
        i32x4.extmul_low_i16x8_s fd0bc none
        i32x4.extmul_high_i16x8_s fd0bd none
        i32x4.extmul_low_i16x8_u fd0be none
        i32x4.extmul_high_i16x8_u fd0bf none
        i64x2.abs fd0c0 none
        i64x2.neg fd0c1 none
        i64x2.all_true fd0c3 none
        i64x2.bitmask fd0c4 none
        i64x2.extend_low_i32x4_s fd0c7 none
        i64x2.extend_high_i32x4_s fd0c8 none
        i64x2.extend_low_i32x4_u fd0c9 none
        i64x2.extend_high_i32x4_u fd0ca none
        i64x2.shl fd0cb none
        i64x2.shr_s fd0cc none
        i64x2.shr_u fd0cd none
        i64x2.add fd0ce none
        i64x2.sub fd0d1 none
        i64x2.mul fd0d5 none
        i64x2.eq fd0d6 none
        i64x2.ne fd0d7 none
        i64x2.lt_s fd0d8 none
        i64x2.gt_s fd0d9 none
        i64x2.le_s fd0da none
        i64x2.ge_s fd0db none
        i64x2.extmul_low_i32x4_s fd0dc none
        i64x2.extmul_high_i32x4_s fd0dd none
        i64x2.extmul_low_i32x4_u fd0de none
        i64x2.extmul_high_i32x4_u fd0df none
        f32x4.abs fd0e0 none
        f32x4.neg fd0e1 none
        f32x4.sqrt fd0e3 none
        f32x4.add fd0e4 none
        f32x4.sub fd0e5 none
        f32x4.mul fd0e6 none
        f32x4.div fd0e7 none
        f32x4.min fd0e8 none
        f32x4.max fd0e9 none
        f32x4.pmin fd0ea none
        f32x4.pmax fd0eb none
        f64x2.abs fd0ec none
        f64x2.neg fd0ed none
        f64x2.sqrt fd0ef none
        f64x2.add fd0f0 none
        f64x2.sub fd0f1 none
        f64x2.mul fd0f2 none
        f64x2.div fd0f3 none
        f64x2.min fd0f4 none
        f64x2.max fd0f5 none
        f64x2.pmin fd0f6 none
        f64x2.pmax fd0f7 none
        i32x4.trunc_sat_f32x4_s fd0f8 none
        i32x4.trunc_sat_f32x4_u fd0f9 none
        f32x4.convert_i32x4_s fd0fa none
        f32x4.convert_i32x4_u fd0fb none
        i32x4.trunc_sat_f64x2_s_zero fd0fc none
        i32x4.trunc_sat_f64x2_u_zero fd0fd none
        f64x2.convert_low_i32x4_s fd0fe none
        f64x2.convert_low_i32x4_u fd0ff none
        throw 8 tag
        rethrow 9 label
        throw_ref a none
        return_call 12 func
        return_call_indirect 13 call_indirect
        call_ref 14 type
        return_call_ref 15 type
        ref.eq d3 none
        ref.as_non_null d4 none
        br_on_null d5 label
        br_on_non_null d6 label
        struct.new fb000 type
        struct.new_default fb001 type
        struct.get fb002 field
        struct.get_s fb003 field
        struct.get_u fb004 field
        struct.set fb005 field
        array.new fb006 type
        array.new_default fb007 type
        array.new_fixed fb008 type_count
        array.new_data fb009 type_data
        array.new_elem fb00a type_elem
        array.get fb00b type
        array.get_s fb00c type
        array.get_u fb00d type
        array.set fb00e type
        array.len fb00f none
        array.fill fb010 type
        array.copy fb011 type_type
        array.init_data fb012 type_data
        array.init_elem fb013 type_elem
        ref.test fb014 ref_test
        ref.cast fb016 ref_test
        br_on_cast fb018 br_on_cast
        br_on_cast_fail fb019 br_on_cast
        any.convert_extern fb01a none
        extern.convert_any fb01b none
        ref.i31 fb01c none
        i31.get_s fb01d none
        i31.get_u fb01e none
        i64.add128 fc013 none
        i64.sub128 fc014 none
        i64.mul_wide_s fc015 none
        i64.mul_wide_u fc016 none
        i8x16.relaxed_swizzle fd100 none
        i32x4.relaxed_trunc_f32x4_s fd101 none
        i32x4.relaxed_trunc_f32x4_u fd102 none
        i32x4.relaxed_trunc_f64x2_s_zero fd103 none
        i32x4.relaxed_trunc_f64x2_u_zero fd104 none
        f32x4.relaxed_madd fd105 none
        f32x4.relaxed_nmadd fd106 none
        f64x2.relaxed_madd fd107 none
        f64x2.relaxed_nmadd fd108 none
        i8x16.relaxed_laneselect fd109 none
        i16x8.relaxed_laneselect fd10a none
        i32x4.relaxed_laneselect fd10b none
        i64x2.relaxed_laneselect fd10c none
        f32x4.relaxed_min fd10d none
        f32x4.relaxed_max fd10e none
        f64x2.relaxed_min fd10f none
        f64x2.relaxed_max fd110 none
        i16x8.relaxed_q15mulr_s fd111 none
        i16x8.relaxed_dot_i8x16_i7x16_s fd112 none
        i32x4.relaxed_dot_i8x16_i7x16_add_s fd113 none
        """.lines().forEach(line -> {
            String[] f = line.strip().split(" ");
            Instruction instruction = new Instruction(f[0], Integer.parseInt(f[1], 16),
                    Immediate.valueOf(f[2].toUpperCase()), f.length > 3 ? Integer.parseInt(f[3]) : 0);
            BY_NAME.put(instruction.name(), instruction);
        });
    }

    private Instructions() {}

    /** The plain instruction named {@code name}, or {@code null}. */
    static Instruction named(String name) {
        return BY_NAME.get(name);
    }
}
