// TorchPickleMachine: a restricted pickle virtual machine for PyTorch checkpoints
// (protocols 2-5) with an allowlist of globals, modelled on torch/_weights_only_unpickler.py.
//
// Supported opcodes: PROTO FRAME STOP MARK POP POP_MARK DUP; NONE NEWTRUE NEWFALSE BININT
// BININT1 BININT2 LONG1 BINFLOAT; BINUNICODE SHORT_BINUNICODE BINUNICODE8 BINSTRING
// SHORT_BINSTRING BINBYTES SHORT_BINBYTES; EMPTY_TUPLE TUPLE TUPLE1-3 EMPTY_LIST LIST APPEND
// APPENDS EMPTY_DICT DICT SETITEM SETITEMS EMPTY_SET ADDITEMS; BINPUT LONG_BINPUT MEMOIZE
// BINGET LONG_BINGET; GLOBAL STACK_GLOBAL REDUCE NEWOBJ BUILD BINPERSID.
// Allowed globals: collections.OrderedDict, torch._utils._rebuild_tensor_v2,
// torch._utils._rebuild_parameter(_with_state), torch.<Type>Storage, torch.Size.
// Non-goals: text protocols 0/1 opcodes (INT, STRING, PUT, GET ...), arbitrary classes,
// integers beyond 64 bits. Every read is bounds-checked and errors name the byte offset.

/// A mutable pickled list (shared by reference through the memo, as in Python).
final class TorchPickleList {
    var items: [TorchPickleValue] = []
}

/// A mutable pickled dict or OrderedDict, keeping insertion order.
final class TorchPickleDict {
    var entries: [(key: TorchPickleValue, value: TorchPickleValue)] = []

    func set(_ key: TorchPickleValue, _ value: TorchPickleValue) {
        if let index = entries.firstIndex(where: { $0.key == key }) {
            entries[index].value = value
        } else {
            entries.append((key, value))
        }
    }
}

/// A storage named by a persistent id: `('storage', torch.<T>Storage, key, location, numel)`.
struct TorchStorageReference: Equatable {
    var type: TorchStorageType
    var key: String
    var elementCount: Int
}

/// A tensor from `_rebuild_tensor_v2(storage, offset, size, stride, ...)`.
struct TorchTensorReference: Equatable {
    var storage: TorchStorageReference
    var offset: Int
    var size: [Int]
    var stride: [Int]
}

/// An allowlisted global.
enum TorchPickleGlobal: Equatable {
    case orderedDict, rebuildTensor, rebuildParameter, size
    case storageType(TorchStorageType)
}

/// A value on the pickle stack.
indirect enum TorchPickleValue: Equatable {
    case none
    case bool(Bool)
    case integer(Int64)
    case real(Double)
    case string(String)
    case bytes([UInt8])
    case tuple([TorchPickleValue])
    case list(TorchPickleList)
    case dict(TorchPickleDict)
    case global(TorchPickleGlobal)
    case storage(TorchStorageReference)
    case tensor(TorchTensorReference)

    static func == (lhs: TorchPickleValue, rhs: TorchPickleValue) -> Bool {
        switch (lhs, rhs) {
        case (.none, .none): true
        case let (.bool(a), .bool(b)): a == b
        case let (.integer(a), .integer(b)): a == b
        case let (.real(a), .real(b)): a == b
        case let (.string(a), .string(b)): a == b
        case let (.bytes(a), .bytes(b)): a == b
        case let (.tuple(a), .tuple(b)): a == b
        case let (.list(a), .list(b)): a === b
        case let (.dict(a), .dict(b)): a === b
        case let (.global(a), .global(b)): a == b
        case let (.storage(a), .storage(b)): a == b
        case let (.tensor(a), .tensor(b)): a == b
        default: false
        }
    }

    /// A short name of the value's kind for error messages.
    var kindName: String {
        switch self {
        case .none: "None"
        case .bool: "bool"
        case .integer: "int"
        case .real: "float"
        case .string: "str"
        case .bytes: "bytes"
        case .tuple: "tuple"
        case .list: "list"
        case .dict: "dict"
        case .global: "global"
        case .storage: "storage"
        case .tensor: "tensor"
        }
    }
}

/// Runs a pickle program and returns the object it builds.
struct TorchPickleMachine {
    private let bytes: [UInt8]
    private let fileName: String
    private let entryName: String
    private var position = 0
    private var stack: [TorchPickleValue] = []
    private var marks: [Int] = []
    private var memo: [Int: TorchPickleValue] = [:]

    init(bytes: [UInt8], fileName: String, entryName: String) {
        self.bytes = bytes
        self.fileName = fileName
        self.entryName = entryName
    }

    private func failure(_ message: String, at offset: Int? = nil,
                         kind: TorchCheckpointError.Kind = .malformedPickle) -> TorchCheckpointError {
        TorchCheckpointError(kind: kind, fileName: fileName, location: "\(entryName) byte \(offset ?? position)",
                             message: message)
    }

    // MARK: Bounded reads

    private mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= bytes.count - position else {
            throw failure("unexpected end of pickle (needed \(count) more bytes)")
        }
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    private mutating func littleEndian(_ count: Int) throws -> UInt64 {
        try take(count).reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    private mutating func line() throws -> String {
        guard let end = bytes[position...].firstIndex(of: 0x0A) else {
            throw failure("unterminated text line")
        }
        defer { position = end + 1 }
        return String(decoding: bytes[position..<end], as: UTF8.self)
    }

    private mutating func text(_ count: Int) throws -> String {
        let slice = try take(count)
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw failure("string is not valid UTF-8", at: position - count)
        }
        return text
    }

    // MARK: Stack

    private mutating func pop() throws -> TorchPickleValue {
        guard let value = stack.popLast() else { throw failure("stack underflow") }
        if let mark = marks.last, stack.count < mark { throw failure("stack underflow past a mark") }
        return value
    }

    private mutating func popToMark() throws -> [TorchPickleValue] {
        guard let mark = marks.popLast() else { throw failure("no MARK before this opcode") }
        defer { stack.removeSubrange(mark...) }
        return Array(stack[mark...])
    }

    private mutating func top() throws -> TorchPickleValue {
        guard let value = stack.last else { throw failure("stack underflow") }
        return value
    }

    // MARK: Run

    /// Executes the program up to STOP and returns the result.
    mutating func run() throws -> TorchPickleValue {
        while position < bytes.count {
            let start = position
            let opcode = bytes[position]
            position += 1
            switch opcode {
            case 0x80: // PROTO
                let version = try take(1).first ?? 0
                guard (2...5).contains(version) else {
                    throw failure("pickle protocol \(version) is not supported (2-5 are)", at: start)
                }
            case 0x95: // FRAME: an 8-byte length; frames need no special handling when reading from memory.
                _ = try littleEndian(8)
            case UInt8(ascii: "."): // STOP
                return try pop()
            case UInt8(ascii: "("): // MARK
                marks.append(stack.count)
            case UInt8(ascii: "0"): // POP
                _ = try pop()
            case UInt8(ascii: "1"): // POP_MARK
                _ = try popToMark()
            case UInt8(ascii: "2"): // DUP
                stack.append(try top())
            case UInt8(ascii: "N"): stack.append(.none)
            case 0x88: stack.append(.bool(true))
            case 0x89: stack.append(.bool(false))
            case UInt8(ascii: "J"): // BININT: signed 32-bit
                stack.append(.integer(Int64(Int32(truncatingIfNeeded: try littleEndian(4)))))
            case UInt8(ascii: "K"): stack.append(.integer(Int64(try littleEndian(1))))
            case UInt8(ascii: "M"): stack.append(.integer(Int64(try littleEndian(2))))
            case 0x8A: // LONG1: n-byte two's-complement little-endian
                let count = Int(try littleEndian(1))
                guard count <= 8 else { throw failure("integer of \(count) bytes exceeds 64 bits", at: start) }
                let raw = try littleEndian(count)
                let shift = UInt64(64 - 8 * count)
                stack.append(.integer(count == 0 ? 0 : Int64(bitPattern: raw << shift) >> Int64(shift)))
            case UInt8(ascii: "G"): // BINFLOAT: big-endian double
                let raw = try take(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                stack.append(.real(Double(bitPattern: raw)))
            case UInt8(ascii: "X"): stack.append(.string(try text(Int(try littleEndian(4)))))
            case 0x8C: stack.append(.string(try text(Int(try littleEndian(1)))))
            case 0x8D: stack.append(.string(try text(Int(clamping: try littleEndian(8)))))
            case UInt8(ascii: "U"): // SHORT_BINSTRING (Python 2 str; read as text)
                stack.append(.string(try text(Int(try littleEndian(1)))))
            case UInt8(ascii: "T"): stack.append(.string(try text(Int(try littleEndian(4)))))
            case UInt8(ascii: "B"): stack.append(.bytes(Array(try take(Int(try littleEndian(4))))))
            case UInt8(ascii: "C"): stack.append(.bytes(Array(try take(Int(try littleEndian(1))))))
            case UInt8(ascii: ")"): stack.append(.tuple([]))
            case UInt8(ascii: "t"): stack.append(.tuple(try popToMark()))
            case 0x85: stack.append(.tuple([try pop()]))
            case 0x86:
                let second = try pop()
                stack.append(.tuple([try pop(), second]))
            case 0x87:
                let third = try pop()
                let second = try pop()
                stack.append(.tuple([try pop(), second, third]))
            case UInt8(ascii: "]"): stack.append(.list(TorchPickleList()))
            case UInt8(ascii: "l"):
                let list = TorchPickleList()
                list.items = try popToMark()
                stack.append(.list(list))
            case UInt8(ascii: "a"): // APPEND
                let item = try pop()
                guard case .list(let list) = try top() else { throw failure("APPEND to a non-list", at: start) }
                list.items.append(item)
            case UInt8(ascii: "e"): // APPENDS
                let items = try popToMark()
                guard case .list(let list) = try top() else { throw failure("APPENDS to a non-list", at: start) }
                list.items.append(contentsOf: items)
            case UInt8(ascii: "}"): stack.append(.dict(TorchPickleDict()))
            case UInt8(ascii: "d"):
                let dict = TorchPickleDict()
                try Self.pairs(try popToMark()).forEach { dict.set($0.0, $0.1) }
                stack.append(.dict(dict))
            case UInt8(ascii: "s"): // SETITEM
                let value = try pop()
                let key = try pop()
                guard case .dict(let dict) = try top() else { throw failure("SETITEM on a non-dict", at: start) }
                dict.set(key, value)
            case UInt8(ascii: "u"): // SETITEMS
                let items = try popToMark()
                guard case .dict(let dict) = try top() else { throw failure("SETITEMS on a non-dict", at: start) }
                try Self.pairs(items).forEach { dict.set($0.0, $0.1) }
            case 0x8F: stack.append(.list(TorchPickleList())) // EMPTY_SET, kept as a list
            case 0x90: // ADDITEMS
                let items = try popToMark()
                guard case .list(let list) = try top() else { throw failure("ADDITEMS to a non-set", at: start) }
                list.items.append(contentsOf: items)
            case UInt8(ascii: "q"): memo[Int(try littleEndian(1))] = try top()
            case UInt8(ascii: "r"): memo[Int(try littleEndian(4))] = try top()
            case 0x94: memo[memo.count] = try top() // MEMOIZE
            case UInt8(ascii: "h"): try recall(Int(try littleEndian(1)), at: start)
            case UInt8(ascii: "j"): try recall(Int(try littleEndian(4)), at: start)
            case UInt8(ascii: "c"): // GLOBAL "module\nname\n"
                let module = try line()
                let name = try line()
                stack.append(.global(try resolve(module, name, at: start)))
            case 0x93: // STACK_GLOBAL
                guard case .string(let name) = try pop(), case .string(let module) = try pop() else {
                    throw failure("STACK_GLOBAL needs two strings", at: start)
                }
                stack.append(.global(try resolve(module, name, at: start)))
            case UInt8(ascii: "R"): // REDUCE
                let arguments = try pop()
                let callable = try pop()
                stack.append(try call(callable, arguments, at: start))
            case 0x81: // NEWOBJ: cls.__new__(cls, *args); only OrderedDict is constructible
                let arguments = try pop()
                let callable = try pop()
                stack.append(try call(callable, arguments, at: start))
            case UInt8(ascii: "b"): // BUILD
                // The state of an OrderedDict (its `_metadata` attribute) or of a parameter
                // (hooks, requires_grad) carries nothing a state_dict reader needs.
                _ = try pop()
                guard case .dict = try top() else {
                    if case .tensor = try top() { continue }
                    throw failure("BUILD on a \(try top().kindName) is not supported", at: start)
                }
            case UInt8(ascii: "Q"): // BINPERSID
                stack.append(try persistentLoad(try pop(), at: start))
            default:
                throw failure(String(format: "unsupported pickle opcode 0x%02X", opcode), at: start)
            }
        }
        throw failure("pickle ended without STOP")
    }

    private mutating func recall(_ index: Int, at offset: Int) throws {
        guard let value = memo[index] else { throw failure("memo entry \(index) was never stored", at: offset) }
        stack.append(value)
    }

    private static func pairs(_ items: [TorchPickleValue]) throws -> [(TorchPickleValue, TorchPickleValue)] {
        stride(from: 0, to: items.count - 1, by: 2).map { (items[$0], items[$0 + 1]) }
    }

    private func resolve(_ module: String, _ name: String, at offset: Int) throws -> TorchPickleGlobal {
        switch (module, name) {
        case ("collections", "OrderedDict"): return .orderedDict
        case ("torch._utils", "_rebuild_tensor_v2"): return .rebuildTensor
        case ("torch._utils", "_rebuild_parameter"), ("torch._utils", "_rebuild_parameter_with_state"):
            return .rebuildParameter
        case ("torch", "Size"): return .size
        case ("torch", _):
            if let type = TorchStorageType(rawValue: name) { return .storageType(type) }
        default: break
        }
        throw failure("global '\(module).\(name)' is not allowed (only state_dict contents are loaded, "
                      + "as with torch.load(weights_only=True); save model.state_dict() rather than the model)",
                      at: offset, kind: .forbiddenGlobal)
    }

    private func call(_ callable: TorchPickleValue, _ arguments: TorchPickleValue, at offset: Int) throws -> TorchPickleValue {
        guard case .global(let function) = callable, case .tuple(let args) = arguments else {
            throw failure("REDUCE needs an allowed global and an argument tuple, got \(callable.kindName)", at: offset)
        }
        switch function {
        case .orderedDict:
            let dict = TorchPickleDict()
            if case .list(let pairs)? = args.first {
                for pair in pairs.items {
                    if case .tuple(let kv) = pair, kv.count == 2 { dict.set(kv[0], kv[1]) }
                }
            }
            return .dict(dict)
        case .size:
            guard case .tuple(let extents)? = args.first else { throw failure("torch.Size needs a tuple", at: offset) }
            return .tuple(extents)
        case .rebuildParameter:
            guard case .tensor(let tensor)? = args.first else {
                throw failure("_rebuild_parameter needs a tensor", at: offset, kind: .badTensor)
            }
            return .tensor(tensor)
        case .rebuildTensor:
            guard args.count >= 4, case .storage(let storage) = args[0], case .integer(let storageOffset) = args[1],
                  let size = Self.integers(args[2]), let stride = Self.integers(args[3]), size.count == stride.count else {
                throw failure("_rebuild_tensor_v2 expects (storage, offset, size, stride, ...)", at: offset, kind: .badTensor)
            }
            return .tensor(TorchTensorReference(storage: storage, offset: Int(storageOffset), size: size, stride: stride))
        case .storageType(let type):
            throw failure("torch.\(type.rawValue) cannot be called directly", at: offset)
        }
    }

    private static func integers(_ value: TorchPickleValue) -> [Int]? {
        guard case .tuple(let items) = value else { return nil }
        var result: [Int] = []
        for item in items {
            guard case .integer(let number) = item else { return nil }
            result.append(Int(number))
        }
        return result
    }

    /// `('storage', torch.<T>Storage, key, location, numel)` → a storage reference.
    private func persistentLoad(_ id: TorchPickleValue, at offset: Int) throws -> TorchPickleValue {
        guard case .tuple(let fields) = id, fields.count >= 5, fields[0] == .string("storage"),
              case .global(.storageType(let type)) = fields[1], case .string(let key) = fields[2],
              case .integer(let count) = fields[4], count >= 0 else {
            throw failure("persistent id is not ('storage', torch.<Type>Storage, key, location, numel)",
                          at: offset, kind: .badTensor)
        }
        return .storage(TorchStorageReference(type: type, key: key, elementCount: Int(count)))
    }
}
