// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "portal-audit",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "portal-audit", targets: ["portal-audit"]),
        // The pure core, for the fuzz harnesses (Tests/Fuzz) and the parser benchmark (Benchmarks/Parsers).
        .library(name: "PortalAuditCore", targets: ["PortalAuditCore"]),
        .library(name: "RawTLS", targets: ["RawTLS"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(
            name: "CCurlShim",
            dependencies: ["CCurl"],
            linkerSettings: [.linkedLibrary("curl"), .linkedLibrary("ssl"), .linkedLibrary("crypto")]
        ),
        // The raw TLS engine: ClientHellos and the server's first flight, pure Swift (LIBCURL-NOTES §7).
        .target(name: "RawTLS"),
        .target(name: "CurlClient", dependencies: ["CCurl", "CCurlShim", "PortalAuditCore", "RawTLS"]),
        .target(name: "PortalAuditCore", dependencies: [.product(name: "Yams", package: "Yams")]),
        .target(name: "PortalAuditProbes", dependencies: ["CurlClient", "PortalAuditCore", "RawTLS"]),
        .target(name: "PortalAuditReport", dependencies: ["PortalAuditCore"]),
        // The history's compact encoding (zlib is libcurl's own dependency).
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .target(
            name: "PortalAuditStore",
            dependencies: ["PortalAuditCore", "CZlib", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The commit a release build was made from (scripts/install passes it as a C define).
        .target(name: "CBuildInfo"),
        .target(
            name: "PortalAuditKit",
            dependencies: [
                "CBuildInfo", "PortalAuditCore", "PortalAuditProbes", "PortalAuditReport", "PortalAuditStore",
            ]
        ),
        .executableTarget(
            name: "portal-audit",
            dependencies: [
                "PortalAuditKit", "PortalAuditProbes", "PortalAuditReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "PortalAuditTestSupport", dependencies: ["PortalAuditCore"], path: "Tests/PortalAuditTestSupport"),
        .testTarget(name: "PortalAuditCoreTests", dependencies: ["PortalAuditCore", "PortalAuditTestSupport"]),
        // Flights/: server flights captured on loopback, read by #filePath.
        .testTarget(name: "RawTLSTests", dependencies: ["RawTLS"], exclude: ["Flights"]),
        .testTarget(
            name: "PortalAuditProbesTests",
            dependencies: ["PortalAuditProbes", "PortalAuditKit", "PortalAuditTestSupport"]
        ),
        .testTarget(name: "PortalAuditStoreTests", dependencies: ["PortalAuditStore", "PortalAuditTestSupport"]),
        .testTarget(name: "PortalAuditReportTests", dependencies: ["PortalAuditReport", "PortalAuditTestSupport"]),
        .testTarget(
            name: "PortalAuditCLITests",
            dependencies: ["PortalAuditCore", "PortalAuditKit", "PortalAuditStore", "PortalAuditTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
