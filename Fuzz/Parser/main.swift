// SwiftPM gives this executable its own main function, which hands over to libFuzzer's driver.
import CFuzzer

#if canImport(Glibc)
import Glibc
#endif

var arguments = CommandLine.argc
var values: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&arguments, &values) { data, size in
    guard let data else { return 0 }  // libFuzzer always passes a buffer, even an empty one
    return parserFuzzTestOneInput(data, size)
})
