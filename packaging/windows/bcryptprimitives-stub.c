/* Wine 8 lacks ProcessPrng, which Rust's std calls for randomness; real Windows 10/11 have it.
   This stub forwards it to advapi32's SystemFunction036 (RtlGenRandom), for the wine smoke test only. */
#include <windows.h>
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG chunk = len > 0x7fffffff ? 0x7fffffff : (ULONG)len;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk; len -= chunk;
    }
    return TRUE;
}
