/// libFuzzer's entry point for programs that have their own `main` (`-sanitize=fuzzer` links it).
@_silgen_name("LLVMFuzzerRunDriver")
func fuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// Runs libFuzzer with this process's arguments, feeding every input to `harness`.
public func runFuzzer(_ harness: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Never {
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(fuzzerRunDriver(&argc, &argv, harness))
}

@_silgen_name("exit")
func exit(_ status: Int32) -> Never
