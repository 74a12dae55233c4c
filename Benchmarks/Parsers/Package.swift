// swift-tools-version: 6.0
// The parser benchmark: every parser of site content on adversarial input of its largest allowed size.
// Run by Benchmarks/parsers.sh; not part of the main build.
import PackageDescription

let package = Package(
    name: "portal-audit-parser-bench",
    dependencies: [.package(name: "portal-audit", path: "../..")],
    targets: [
        .executableTarget(
            name: "parser-bench", dependencies: [.product(name: "PortalAuditCore", package: "portal-audit")],
            path: "Sources/parser-bench")
    ],
    swiftLanguageModes: [.v6]
)
