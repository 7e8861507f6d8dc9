// TorchZipWriter: a minimal ZIP writer for .pth files: stored (uncompressed) entries whose
// data starts 64-byte aligned, padded with an "FB" extra field, as PyTorch's writer does.
//
// Layout per entry (APPNOTE 4.3.7): local header 30 bytes (signature 0x04034b50, version 20,
// flags 0x0800 = UTF-8 names, method 0 = stored, DOS time 0 / date 1980-01-01, CRC-32, sizes,
// name length, extra length), name, extra field (id 0x4246 "FB", length, 'Z' padding), data.
// Then one central directory record per entry (signature 0x02014b50, 46 bytes + name) and the
// end-of-central-directory record (signature 0x06054b50, 22 bytes). Non-goals: ZIP64 (archives
// and entries must stay below 4 GiB, at most 65 535 entries), compression, data descriptors.
import Foundation
import ZIPFoundation

struct TorchZipWriter {
    static let localHeaderSignature: UInt32 = 0x0403_4B50
    static let centralHeaderSignature: UInt32 = 0x0201_4B50
    static let endSignature: UInt32 = 0x0605_4B50
    /// Extra-field id "FB" (bytes 'F', 'B') that torch uses for alignment padding.
    static let paddingFieldID: UInt16 = 0x4246
    static let alignment = 64
    static let versionNeeded: UInt16 = 20
    static let utf8NamesFlag: UInt16 = 0x0800
    /// DOS date 1980-01-01 (year 0, month 1, day 1); fixed so equal content gives equal bytes.
    static let dosDate: UInt16 = (1 << 5) | 1

    private var output: [UInt8] = []
    private var central: [UInt8] = []
    private var entryCount = 0

    /// Appends a stored entry whose data starts at a multiple of 64 bytes.
    mutating func add(_ name: String, _ data: [UInt8], fileName: String) throws {
        let nameBytes = Array(name.utf8)
        let offset = output.count
        guard data.count < Int(UInt32.max), offset < Int(UInt32.max), nameBytes.count < Int(UInt16.max),
              entryCount < Int(UInt16.max) else {
            throw TorchCheckpointError(kind: .unwritable, fileName: fileName, location: name,
                                       message: "too large for a non-ZIP64 archive (4 GiB / 65 535 entries)")
        }
        let unpadded = offset + 30 + nameBytes.count + 4
        let padding = (Self.alignment - unpadded % Self.alignment) % Self.alignment
        let checksum = Data(data).crc32(checksum: 0)

        Self.append(&output, Self.localHeaderSignature)
        Self.append(&output, Self.versionNeeded)
        Self.append(&output, Self.utf8NamesFlag)
        Self.append(&output, UInt16(0))          // method: stored
        Self.append(&output, UInt16(0))          // time
        Self.append(&output, Self.dosDate)
        Self.append(&output, checksum)
        Self.append(&output, UInt32(data.count)) // compressed size
        Self.append(&output, UInt32(data.count)) // uncompressed size
        Self.append(&output, UInt16(nameBytes.count))
        Self.append(&output, UInt16(4 + padding))
        output += nameBytes
        Self.append(&output, Self.paddingFieldID)
        Self.append(&output, UInt16(padding))
        output += [UInt8](repeating: UInt8(ascii: "Z"), count: padding)
        output += data

        Self.append(&central, Self.centralHeaderSignature)
        Self.append(&central, Self.versionNeeded) // made by
        Self.append(&central, Self.versionNeeded)
        Self.append(&central, Self.utf8NamesFlag)
        Self.append(&central, UInt16(0))
        Self.append(&central, UInt16(0))
        Self.append(&central, Self.dosDate)
        Self.append(&central, checksum)
        Self.append(&central, UInt32(data.count))
        Self.append(&central, UInt32(data.count))
        Self.append(&central, UInt16(nameBytes.count))
        Self.append(&central, UInt16(0))          // extra length
        Self.append(&central, UInt16(0))          // comment length
        Self.append(&central, UInt16(0))          // disk number
        Self.append(&central, UInt16(0))          // internal attributes
        Self.append(&central, UInt32(0))          // external attributes
        Self.append(&central, UInt32(offset))
        central += nameBytes
        entryCount += 1
    }

    /// The complete archive bytes.
    func finish(fileName: String) throws -> [UInt8] {
        var bytes = output
        let centralOffset = bytes.count
        guard centralOffset + central.count < Int(UInt32.max) else {
            throw TorchCheckpointError(kind: .unwritable, fileName: fileName,
                                       message: "too large for a non-ZIP64 archive (4 GiB)")
        }
        bytes += central
        Self.append(&bytes, Self.endSignature)
        Self.append(&bytes, UInt16(0))
        Self.append(&bytes, UInt16(0))
        Self.append(&bytes, UInt16(entryCount))
        Self.append(&bytes, UInt16(entryCount))
        Self.append(&bytes, UInt32(central.count))
        Self.append(&bytes, UInt32(centralOffset))
        Self.append(&bytes, UInt16(0))
        return bytes
    }

    private static func append<T: FixedWidthInteger>(_ buffer: inout [UInt8], _ value: T) {
        withUnsafeBytes(of: value.littleEndian) { buffer += $0 }
    }
}
