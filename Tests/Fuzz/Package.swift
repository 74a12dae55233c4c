// swift-tools-version: 6.0
// libFuzzer harnesses for the parsers of user files and site content. Built and run by scripts/fuzz
// (swiftc -sanitize=fuzzer); not part of the main build.
import PackageDescription

let harnesses = [
    "FuzzInventory", "FuzzProfile", "FuzzDates", "FuzzPageText", "FuzzHeaders", "FuzzFeeds", "FuzzFlight", "FuzzRobots",
]

let package = Package(
    name: "portal-audit-fuzz",
    dependencies: [.package(name: "portal-audit", path: "../..")],
    targets: [.target(name: "FuzzSupport", path: "Sources/FuzzSupport")]
        + harnesses.map { name in
            .executableTarget(
                name: name,
                dependencies: [
                    "FuzzSupport", .product(name: "PortalAuditCore", package: "portal-audit"),
                    .product(name: "RawTLS", package: "portal-audit"),
                ],
                path: "Sources/\(name)")
        },
    swiftLanguageModes: [.v6]
)
