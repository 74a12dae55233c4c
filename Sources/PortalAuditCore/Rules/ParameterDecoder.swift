import Foundation

/// Decodes a rule's profile values (`min_max_age: 31536000`) into its typed `Parameters`.
///
/// Keys are the Parameters' `CodingKeys`, spelt as profiles spell them (`min_max_age`). Strict both ways: a value the type
/// does not read is an error (a descriptor's parameter the type forgot), and so is a property without a
/// value (the loader fills every declared default, so this means a property the descriptor does not
/// declare). The rule tests decode every rule's defaults, which catches either mismatch.
public enum ParameterDecoder {
    public struct Mismatch: Error, CustomStringConvertible, Equatable {
        public var parameter: String
        public var problem: String
        public var description: String { "parameter \(parameter): \(problem)" }
    }

    public static func decode<T: Decodable>(_ type: T.Type, from values: [String: ParameterValue]) throws -> T {
        let reader = Reader(values: values)
        let decoded = try T(from: TopDecoder(reader: reader))
        if let unread = values.keys.sorted().first(where: { !reader.read.contains($0) }) {
            throw Mismatch(parameter: unread, problem: "declared by the rule but not read by its Parameters")
        }
        return decoded
    }

    final class Reader {
        let values: [String: ParameterValue]
        var read: Set<String> = []
        init(values: [String: ParameterValue]) { self.values = values }

        func value(_ key: CodingKey) throws -> ParameterValue {
            let name = key.stringValue
            guard let value = values[name] else {
                throw Mismatch(parameter: name, problem: "read by the rule's Parameters but not declared")
            }
            read.insert(name)
            return value
        }
    }

    struct TopDecoder: Decoder {
        let reader: Reader
        var codingPath: [CodingKey] { [] }
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
            KeyedDecodingContainer(Keyed(reader: reader))
        }

        func unkeyedContainer() throws -> UnkeyedDecodingContainer {
            throw DecodingError.typeMismatch(
                [Any].self, .init(codingPath: [], debugDescription: "parameters are a flat mapping"))
        }

        func singleValueContainer() throws -> SingleValueDecodingContainer {
            throw DecodingError.typeMismatch(
                Any.self, .init(codingPath: [], debugDescription: "parameters are a flat mapping"))
        }
    }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let reader: Reader
        var codingPath: [CodingKey] { [] }
        var allKeys: [Key] { reader.values.keys.compactMap { Key(stringValue: $0) } }

        func contains(_ key: Key) -> Bool { reader.values[key.stringValue] != nil }

        func decodeNil(forKey key: Key) throws -> Bool { !contains(key) }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            try T(from: ValueDecoder(value: reader.value(key), key: key))
        }

        func decode(_ type: Int.Type, forKey key: Key) throws -> Int {
            try Int(from: ValueDecoder(value: reader.value(key), key: key))
        }
        func decode(_ type: String.Type, forKey key: Key) throws -> String {
            try String(from: ValueDecoder(value: reader.value(key), key: key))
        }
        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
            try Bool(from: ValueDecoder(value: reader.value(key), key: key))
        }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
            try Double(from: ValueDecoder(value: reader.value(key), key: key))
        }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
            try Float(from: ValueDecoder(value: reader.value(key), key: key))
        }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 {
            try Int8(from: ValueDecoder(value: reader.value(key), key: key))
        }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 {
            try Int16(from: ValueDecoder(value: reader.value(key), key: key))
        }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 {
            try Int32(from: ValueDecoder(value: reader.value(key), key: key))
        }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 {
            try Int64(from: ValueDecoder(value: reader.value(key), key: key))
        }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt {
            try UInt(from: ValueDecoder(value: reader.value(key), key: key))
        }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 {
            try UInt8(from: ValueDecoder(value: reader.value(key), key: key))
        }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 {
            try UInt16(from: ValueDecoder(value: reader.value(key), key: key))
        }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 {
            try UInt32(from: ValueDecoder(value: reader.value(key), key: key))
        }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 {
            try UInt64(from: ValueDecoder(value: reader.value(key), key: key))
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
            -> KeyedDecodingContainer<NestedKey>
        {
            throw DecodingError.typeMismatch(
                [String: Any].self, .init(codingPath: [key], debugDescription: "parameters are flat"))
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
            throw DecodingError.typeMismatch(
                [Any].self, .init(codingPath: [key], debugDescription: "parameters are flat"))
        }

        func superDecoder() throws -> Decoder { TopDecoder(reader: reader) }
        func superDecoder(forKey key: Key) throws -> Decoder { TopDecoder(reader: reader) }
    }

    /// One value: an integer or a string (a `String` raw-value enum decodes through it).
    struct ValueDecoder: Decoder, SingleValueDecodingContainer {
        let value: ParameterValue
        let key: CodingKey
        var codingPath: [CodingKey] { [key] }
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<K: CodingKey>(keyedBy type: K.Type) throws -> KeyedDecodingContainer<K> {
            throw mismatch([String: Any].self)
        }

        func unkeyedContainer() throws -> UnkeyedDecodingContainer { throw mismatch([Any].self) }
        func singleValueContainer() throws -> SingleValueDecodingContainer { self }

        func decodeNil() -> Bool { false }

        func decode(_ type: Int.Type) throws -> Int {
            guard case .integer(let number) = value else { throw mismatch(Int.self) }
            return number
        }

        func decode(_ type: String.Type) throws -> String {
            guard case .string(let text) = value else { throw mismatch(String.self) }
            return text
        }

        func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: self) }

        // Profiles set integers and strings only (`ParameterSpec.Kind`).
        func decode(_ type: Bool.Type) throws -> Bool { throw mismatch(Bool.self) }
        func decode(_ type: Double.Type) throws -> Double { throw mismatch(Double.self) }
        func decode(_ type: Float.Type) throws -> Float { throw mismatch(Float.self) }
        func decode(_ type: Int8.Type) throws -> Int8 { throw mismatch(Int8.self) }
        func decode(_ type: Int16.Type) throws -> Int16 { throw mismatch(Int16.self) }
        func decode(_ type: Int32.Type) throws -> Int32 { throw mismatch(Int32.self) }
        func decode(_ type: Int64.Type) throws -> Int64 { throw mismatch(Int64.self) }
        func decode(_ type: UInt.Type) throws -> UInt { throw mismatch(UInt.self) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { throw mismatch(UInt8.self) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { throw mismatch(UInt16.self) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { throw mismatch(UInt32.self) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { throw mismatch(UInt64.self) }

        private func mismatch(_ type: Any.Type) -> DecodingError {
            DecodingError.typeMismatch(
                type, .init(codingPath: [key], debugDescription: "expected \(type), found \(value)"))
        }
    }
}
