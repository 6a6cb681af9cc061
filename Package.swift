// swift-tools-version:6.2
import PackageDescription
let swiftSettings: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny"), .enableUpcomingFeature("MemberImportVisibility")]
let package = Package(
    name: "qwplatform",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .target(name: "QuotewireModels", dependencies: [.product(name: "Crypto", package: "swift-crypto")], path: "Shared/Models", swiftSettings: swiftSettings),
        .systemLibrary(name: "CRDKafka", path: "Shared/CRDKafka", pkgConfig: "rdkafka"),
        .target(name: "QuotewireKafka", dependencies: ["CRDKafka", .product(name: "Logging", package: "swift-log")], path: "Shared/Kafka", swiftSettings: swiftSettings),
        .testTarget(name: "ModelsTests", dependencies: ["QuotewireModels"], path: "Tests/ModelsTests", swiftSettings: swiftSettings),
        .testTarget(name: "KafkaTests", dependencies: ["QuotewireKafka", "CRDKafka", .product(name: "Logging", package: "swift-log")], path: "Tests/KafkaTests", swiftSettings: swiftSettings),
    ]
)
