// WFDBFLAC: a FLAC decoder for WFDB signal formats 508/516/524 (FLAC-compressed 8/16/24-bit
// samples, one FLAC channel per signal of the file), producing each channel's integer samples.
//
// Stream layout (RFC 9639): "fLaC", metadata blocks (1 bit last, 7 bits type, 24 bits length;
// type 0 = STREAMINFO: block sizes, frame sizes, 20-bit rate, 3-bit channels-1, 5-bit bps-1,
// 36-bit total samples, MD5), then frames: 14-bit sync 0x3FFE, block size / rate / channel
// assignment / sample size codes, UTF-8 coded frame number, CRC-8; one subframe per channel
// (CONSTANT, VERBATIM, FIXED order 0-4, LPC order 1-32; wasted bits; partitioned Rice residual
// with escape codes); byte padding and CRC-16. Stereo decorrelation: left/side, right/side, mid/side.
// Non-goals: CRC and MD5 verification (the WFDB checksums are verified instead), seek tables
// (files are decoded from the start), bit depths above 32.
import Foundation

enum WFDBFLAC {
    /// "fLaC", the first four bytes of a FLAC stream.
    static let magic: [UInt8] = Array("fLaC".utf8)

    /// The decoded samples of every channel and the stream's bits per sample.
    struct Stream {
        var channels: [[Int32]]
        var bitsPerSample: Int
    }

    /// Decodes channels until each holds at least `minimumSamples` samples (or the stream ends).
    static func decode(_ bytes: [UInt8], file: String, minimumSamples: Int) throws -> Stream {
        var reader = FLACBitReader(bytes: bytes, file: file)
        guard bytes.count >= 4, Array(bytes[0..<4]) == magic else {
            throw WFDBError(.unsupportedFormat, file: file, byteOffset: 0, "not a FLAC file (expected 'fLaC' magic)")
        }
        reader.position = 32
        var channelCount = 0, bitsPerSample = 0
        var last = false
        while !last {
            last = try reader.read(1) == 1
            let type = try reader.read(7), length = Int(try reader.read(24))
            let blockStart = reader.position
            if type == 0 {
                _ = try reader.read(32)  // block sizes
                _ = try reader.read(32)  // frame sizes (24 + 8 of 24)
                _ = try reader.read(16)
                _ = try reader.read(20)  // sample rate
                channelCount = Int(try reader.read(3)) + 1
                bitsPerSample = Int(try reader.read(5)) + 1
            }
            reader.position = blockStart + 8 * length
        }
        guard channelCount > 0 else {
            throw WFDBError(.unsupportedFormat, file: file, byteOffset: 4, "FLAC stream has no STREAMINFO block")
        }
        var channels = [[Int32]](repeating: [], count: channelCount)
        while reader.position + 16 <= 8 * bytes.count, channels[0].count < minimumSamples {
            try decodeFrame(&reader, into: &channels, streamBitsPerSample: bitsPerSample)
        }
        return Stream(channels: channels, bitsPerSample: bitsPerSample)
    }

    static func decodeFrame(_ reader: inout FLACBitReader, into channels: inout [[Int32]], streamBitsPerSample: Int) throws {
        let frameStart = reader.position / 8
        guard try reader.read(14) == 0x3FFE else {
            throw WFDBError(.unsupportedFormat, file: reader.file, byteOffset: frameStart, "FLAC frame sync code not found")
        }
        _ = try reader.read(2)  // reserved, blocking strategy
        let blockSizeCode = Int(try reader.read(4)), rateCode = Int(try reader.read(4))
        let assignment = Int(try reader.read(4)), sizeCode = Int(try reader.read(3))
        _ = try reader.read(1)
        // UTF-8 style coded frame or sample number.
        let first = try reader.read(8)
        var extraBytes = 0
        var mask: UInt64 = 0x80
        while first & mask != 0 && mask > 1 { extraBytes += 1; mask >>= 1 }
        for _ in 0..<max(0, extraBytes - 1) { _ = try reader.read(8) }
        var blockSize: Int
        switch blockSizeCode {
        case 1: blockSize = 192
        case 2...5: blockSize = 576 << (blockSizeCode - 2)
        case 6: blockSize = Int(try reader.read(8)) + 1
        case 7: blockSize = Int(try reader.read(16)) + 1
        case 8...15: blockSize = 256 << (blockSizeCode - 8)
        default:
            throw WFDBError(.unsupportedFormat, file: reader.file, byteOffset: frameStart, "reserved FLAC block size code 0")
        }
        switch rateCode {
        case 12: _ = try reader.read(8)
        case 13, 14: _ = try reader.read(16)
        default: break
        }
        _ = try reader.read(8)  // CRC-8
        let sampleSizes = [streamBitsPerSample, 8, 12, 0, 16, 20, 24, 32]
        let bitsPerSample = sampleSizes[sizeCode]
        guard bitsPerSample > 0 else {
            throw WFDBError(.unsupportedFormat, file: reader.file, byteOffset: frameStart, "reserved FLAC sample size code 3")
        }
        let subframeCount = assignment < 8 ? assignment + 1 : 2
        guard subframeCount == channels.count, assignment <= 10 else {
            throw WFDBError(.unsupportedFormat, file: reader.file, byteOffset: frameStart,
                            "FLAC frame channel assignment \(assignment) does not match \(channels.count) channels")
        }
        var decoded: [[Int64]] = []
        for index in 0..<subframeCount {
            // The side channel of a stereo pair carries one extra bit.
            let isSide = (assignment == 8 && index == 1) || (assignment == 9 && index == 0) || (assignment == 10 && index == 1)
            decoded.append(try decodeSubframe(&reader, blockSize: blockSize, bitsPerSample: bitsPerSample + (isSide ? 1 : 0)))
        }
        switch assignment {
        case 8:  // left, side
            for i in 0..<blockSize { decoded[1][i] = decoded[0][i] - decoded[1][i] }
        case 9:  // side, right
            for i in 0..<blockSize { decoded[0][i] = decoded[0][i] + decoded[1][i] }
        case 10:  // mid, side
            for i in 0..<blockSize {
                let side = decoded[1][i]
                let mid = decoded[0][i] << 1 | (side & 1)
                decoded[0][i] = (mid + side) >> 1
                decoded[1][i] = (mid - side) >> 1
            }
        default: break
        }
        reader.alignToByte()
        _ = try reader.read(16)  // CRC-16
        for index in channels.indices { channels[index] += decoded[index].map { Int32(truncatingIfNeeded: $0) } }
    }

    static func decodeSubframe(_ reader: inout FLACBitReader, blockSize: Int, bitsPerSample: Int) throws -> [Int64] {
        let start = reader.position / 8
        _ = try reader.read(1)
        let type = Int(try reader.read(6))
        var wasted = 0
        if try reader.read(1) == 1 {
            wasted = 1
            while try reader.read(1) == 0 { wasted += 1 }
        }
        let bits = bitsPerSample - wasted
        var samples = [Int64](repeating: 0, count: blockSize)
        switch type {
        case 0:
            let value = try reader.readSigned(bits)
            for i in 0..<blockSize { samples[i] = value }
        case 1:
            for i in 0..<blockSize { samples[i] = try reader.readSigned(bits) }
        case 8...12:
            let order = type - 8
            for i in 0..<order { samples[i] = try reader.readSigned(bits) }
            try readResidual(&reader, into: &samples, blockSize: blockSize, order: order)
            let coefficients: [Int64] = [[], [1], [2, -1], [3, -3, 1], [4, -6, 4, -1]][order]
            predict(&samples, coefficients: coefficients, shift: 0, order: order)
        case 32...63:
            let order = type - 31
            for i in 0..<order { samples[i] = try reader.readSigned(bits) }
            let precision = Int(try reader.read(4)) + 1
            guard precision < 16 else {
                throw WFDBError(.unsupportedFormat, file: reader.file, byteOffset: start, "invalid FLAC LPC precision")
            }
            let shift = Int(try reader.readSigned(5))
            var coefficients: [Int64] = []
            for _ in 0..<order { coefficients.append(try reader.readSigned(precision)) }
            try readResidual(&reader, into: &samples, blockSize: blockSize, order: order)
            predict(&samples, coefficients: coefficients, shift: max(shift, 0), order: order)
        default:
            throw WFDBError(.unsupportedFormat, file: reader.file, byteOffset: start, "reserved FLAC subframe type \(type)")
        }
        if wasted > 0 { for i in 0..<blockSize { samples[i] <<= Int64(wasted) } }
        return samples
    }

    /// Adds the prediction `sum(c_j * s[i-1-j]) >> shift` to the residuals stored after the warm-up.
    static func predict(_ samples: inout [Int64], coefficients: [Int64], shift: Int, order: Int) {
        guard order < samples.count else { return }
        for i in order..<samples.count {
            var sum: Int64 = 0
            for (j, coefficient) in coefficients.enumerated() { sum += coefficient * samples[i - 1 - j] }
            samples[i] += sum >> Int64(shift)
        }
    }

    /// Partitioned Rice residual (coding methods 0 and 1, with escape partitions).
    static func readResidual(_ reader: inout FLACBitReader, into samples: inout [Int64], blockSize: Int, order: Int) throws {
        let method = try reader.read(2)
        guard method <= 1 else {
            throw WFDBError(.unsupportedFormat, file: reader.file, byteOffset: reader.position / 8, "reserved FLAC residual coding method")
        }
        let parameterBits = method == 0 ? 4 : 5
        let escape: UInt64 = method == 0 ? 15 : 31
        let partitionOrder = Int(try reader.read(4))
        let partitions = 1 << partitionOrder
        var index = order
        for partition in 0..<partitions {
            let count = (blockSize >> partitionOrder) - (partition == 0 ? order : 0)
            let parameter = try reader.read(parameterBits)
            if parameter == escape {
                let rawBits = Int(try reader.read(5))
                for _ in 0..<count {
                    samples[index] = rawBits == 0 ? 0 : try reader.readSigned(rawBits)
                    index += 1
                }
            } else {
                for _ in 0..<count {
                    var quotient: UInt64 = 0
                    while try reader.read(1) == 0 { quotient += 1 }
                    let value = quotient << UInt64(parameter) | UInt64(parameter > 0 ? try reader.read(Int(parameter)) : 0)
                    samples[index] = Int64(value >> 1) ^ -Int64(value & 1)
                    index += 1
                }
            }
        }
    }
}

/// Reads big-endian bit fields from a byte array, failing with the byte offset on overrun.
struct FLACBitReader {
    let bytes: [UInt8]
    let file: String
    /// Position in bits from the start of `bytes`.
    var position = 0

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
    }

    mutating func read(_ count: Int) throws -> UInt64 {
        guard position + count <= 8 * bytes.count else {
            throw WFDBError(.truncatedSignalFile, file: file, byteOffset: bytes.count,
                            "FLAC stream ends inside a frame (needed \(count) bits at byte \(position / 8))")
        }
        var value: UInt64 = 0
        for _ in 0..<count {
            let bit = (bytes[position >> 3] >> (7 - UInt8(position & 7))) & 1
            value = value << 1 | UInt64(bit)
            position += 1
        }
        return value
    }

    /// A two's complement field of `count` bits.
    mutating func readSigned(_ count: Int) throws -> Int64 {
        let raw = Int64(try read(count))
        return count > 0 && raw >> Int64(count - 1) & 1 == 1 ? raw - (Int64(1) << Int64(count)) : raw
    }

    mutating func alignToByte() {
        position = (position + 7) / 8 * 8
    }
}
