// swift-tools-version: 6.1
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
        // `serve`: the dashboard's HTTP server (no swift-configuration: the command line configures it).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0", traits: []),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
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
        .target(name: "RawTLS", dependencies: ["PortalAuditCore"]),
        .target(name: "CurlClient", dependencies: ["CCurl", "CCurlShim", "PortalAuditCore", "RawTLS"]),
        .target(name: "PortalAuditCore", dependencies: ["CZlib", .product(name: "Yams", package: "Yams")]),
        .target(name: "PortalAuditProbes", dependencies: ["CurlClient", "PortalAuditCore", "RawTLS"]),
        // The HTML report: a Mustache template compiled into the binary (scripts/embed-profiles), as the dashboard's.
        .target(
            name: "PortalAuditReport",
            dependencies: ["PortalAuditCore", .product(name: "Mustache", package: "swift-mustache")],
            exclude: ["Templates"]),
        // The history's compact encoding (zlib is libcurl's own dependency).
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .target(
            name: "PortalAuditStore",
            dependencies: ["PortalAuditCore", "CZlib", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The national history in PostgreSQL through the system's libpq (over the OpenSSL libcurl uses: one TLS
        // stack in the binary; libpq's own connection settings: URIs, keyword strings, .pgpass, services).
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        // The same history in PostgreSQL: the store's statements over a small pool of libpq connections.
        .target(name: "PortalAuditPostgres", dependencies: ["CLibPQ", "PortalAuditStore"]),
        // The commit a release build was made from (scripts/install passes it as a C define).
        .target(name: "CBuildInfo"),
        .target(
            name: "PortalAuditKit",
            dependencies: [
                "CBuildInfo", "CurlClient", "PortalAuditCore", "PortalAuditPostgres", "PortalAuditProbes",
                "PortalAuditReport", "PortalAuditStore", .product(name: "Yams", package: "Yams"),
            ]
        ),
        // `serve`: the dashboard pages (Mustache templates embedded by scripts/embed-profiles) and /api/v1/.
        .target(
            name: "PortalAuditServer",
            dependencies: [
                "PortalAuditCore", "PortalAuditKit", "PortalAuditReport", "PortalAuditStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Templates"]
        ),
        .executableTarget(
            name: "portal-audit",
            dependencies: [
                "PortalAuditCore", "PortalAuditKit", "PortalAuditProbes", "PortalAuditReport", "PortalAuditServer",
                "PortalAuditStore", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "PortalAuditTestSupport", dependencies: ["PortalAuditCore"], path: "Tests/PortalAuditTestSupport"),
        .testTarget(name: "PortalAuditCoreTests", dependencies: ["PortalAuditCore", "PortalAuditTestSupport"]),
        // Flights/: server flights captured on loopback, read by #filePath.
        .testTarget(name: "RawTLSTests", dependencies: ["PortalAuditCore", "RawTLS"], exclude: ["Flights"]),
        .testTarget(
            name: "PortalAuditProbesTests",
            dependencies: [
                "CCurlShim", "CurlClient", "PortalAuditCore", "PortalAuditProbes", "PortalAuditKit",
                "PortalAuditTestSupport",
            ]
        ),
        // The store's tests run against both engines: SQLite and PostgreSQL (opened as the commands do, by Kit).
        .testTarget(
            name: "PortalAuditStoreTests",
            dependencies: [
                "PortalAuditCore", "PortalAuditKit", "PortalAuditPostgres", "PortalAuditStore",
                "PortalAuditTestSupport",
            ]
        ),
        .testTarget(
            name: "PortalAuditReportTests",
            dependencies: ["PortalAuditCore", "PortalAuditReport", "PortalAuditTestSupport"]),
        .testTarget(
            name: "PortalAuditCLITests",
            dependencies: [
                "PortalAuditCore", "PortalAuditKit", "PortalAuditProbes", "PortalAuditStore", "PortalAuditTestSupport",
            ]),
        .testTarget(
            name: "PortalAuditServerTests",
            dependencies: ["PortalAuditServer", "PortalAuditStore", "PortalAuditTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
