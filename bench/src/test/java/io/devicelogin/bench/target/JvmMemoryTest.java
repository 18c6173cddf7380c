package io.devicelogin.bench.target;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** jcmd's GC.heap_info as each collector prints it. */
class JvmMemoryTest {
  @Test
  void g1PrintsOneHeapLine() {
    assertThat(
            JvmMemory.heapUsed(
                " garbage-first heap   total 262144K, used 61440K [0x00000000f0000000, 0x0000000100000000)\n"
                    + "  region size 1024K, 3 young (3072K), 0 survivors (0K)\n"
                    + " Metaspace       used 51200K, committed 51712K, reserved 1097728K\n"))
        .isEqualTo(61440L * 1024);
  }

  @Test
  void theSerialCollectorsGenerationsAreSummedAndMetaspaceIsNot() {
    assertThat(
            JvmMemory.heapUsed(
                " def new generation   total 78656K, used 1024K [0x00000000f0000000, 0x00000000f5550000)\n"
                    + "  eden space 69952K,   1% used [0x00000000f0000000, 0x00000000f0100000, 0x00000000f4450000)\n"
                    + " tenured generation   total 174784K, used 60000K [0x00000000f5550000, 0x0000000100000000)\n"
                    + "   the space 174784K,  34% used\n"
                    + " Metaspace       used 51200K, committed 51712K, reserved 1097728K\n"))
        .isEqualTo(61024L * 1024);
  }

  @Test
  void somethingElseIsUnknown() {
    assertThat(JvmMemory.heapUsed("12345:\ncom.sun.tools.attach.AttachNotSupportedException"))
        .isEqualTo(-1);
  }
}
