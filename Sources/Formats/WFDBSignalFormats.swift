// WFDBSignalFormat: byte-level decoding and encoding of the uncompressed WFDB signal formats
// (8, 16, 24, 32, 61, 80, 160, 212, 310, 311) and their invalid-sample sentinels.
//
// Layout per format (samples of all signals of a file interleaved frame by frame, LE unless noted):
//   8    8-bit first differences (sample = previous + signed byte; starts at init_value)
//   16   int16                          61   int16 big-endian        160  uint16 offset binary (-32768)
//   24   int24 (3 bytes)                32   int32                   80   uint8 offset binary (-128)
//   212  2 samples in 3 bytes: s0 = b0 | (b1 & 0x0F) << 8, s1 = b2 | (b1 >> 4) << 8, 12-bit two's complement
//   310  3 samples in 4 bytes: s0 = b0 >> 1 | (b1 & 7) << 7, s1 = b2 >> 1 | (b3 & 7) << 7,
//        s2 = (b1 >> 3) | (b3 >> 3) << 5, 10-bit two's complement
//   311  3 samples in a 32-bit word: bits 0-9, 10-19, 20-29, 10-bit two's complement
// Reference: wfdb-python `wfdb/io/_signal.py` (`_blocks_to_samples`, `INVALID_SAMPLE_VALUE`).
// FLAC formats 508/516/524 are decoded in WFDBFLAC.swift. Non-goal: format 0 (null signals).

/// The storage formats the reader decodes, with their block geometry and sentinels.
public enum WFDBSignalFormat {
    /// Uncompressed format numbers this file decodes.
    public static let supported: Set<Int> = [8, 16, 24, 32, 61, 80, 160, 212, 310, 311]
    /// FLAC-compressed formats, decoded by `WFDBFLAC`.
    public static let flac: Set<Int> = [508, 516, 524]

    /// The digital value that marks a missing sample (wfdb-python `INVALID_SAMPLE_VALUE`); nil for format 8.
    public static func invalidSample(format: Int) -> Int32? {
        switch format {
        case 80, 508: -(1 << 7)
        case 310, 311: -(1 << 9)
        case 212: -(1 << 11)
        case 16, 61, 160, 516: -(1 << 15)
        case 24, 524: -(1 << 23)
        case 32: Int32.min
        default: nil
        }
    }

    /// Samples and bytes in one indivisible block: 212 packs 2 samples in 3 bytes, 310/311 3 in 4.
    static func block(format: Int) -> (samples: Int, bytes: Int) {
        switch format {
        case 8, 80: (1, 1)
        case 16, 61, 160: (1, 2)
        case 24: (1, 3)
        case 32: (1, 4)
        case 212: (2, 3)
        default: (3, 4)
        }
    }

    /// Bytes needed to hold `count` samples starting at a block boundary (a trailing partial
    /// block only needs the bytes its samples touch).
    static func byteCount(format: Int, samples count: Int) -> Int {
        let (blockSamples, blockBytes) = block(format: format)
        let whole = count / blockSamples * blockBytes
        let remainder = count % blockSamples
        guard remainder > 0 else { return whole }
        switch format {
        case 212: return whole + 2
        case 310: return whole + (remainder == 1 ? 2 : 4)
        default: return whole + (remainder == 1 ? 2 : 3)
        }
    }

    /// Whole samples held by `bytes` bytes starting at a block boundary.
    static func sampleCount(format: Int, bytes: Int) -> Int {
        let (blockSamples, blockBytes) = block(format: format)
        return bytes / blockBytes * blockSamples
    }

    /// Decodes `count` samples from `bytes` (starting at a block boundary) into digital values.
    /// Format 8 yields the raw signed differences; the caller integrates them per signal.
    static func decode(format: Int, bytes: UnsafeRawBufferPointer, count: Int, into output: UnsafeMutablePointer<Int32>) {
        let b = bytes.bindMemory(to: UInt8.self)
        switch format {
        case 8:
            for i in 0..<count { output[i] = Int32(Int8(bitPattern: b[i])) }
        case 80:
            for i in 0..<count { output[i] = Int32(b[i]) - 128 }
        case 16:
            for i in 0..<count { output[i] = Int32(Int16(bitPattern: UInt16(b[2 * i]) | UInt16(b[2 * i + 1]) << 8)) }
        case 61:
            for i in 0..<count { output[i] = Int32(Int16(bitPattern: UInt16(b[2 * i]) << 8 | UInt16(b[2 * i + 1]))) }
        case 160:
            for i in 0..<count { output[i] = Int32(UInt16(b[2 * i]) | UInt16(b[2 * i + 1]) << 8) - 32768 }
        case 24:
            for i in 0..<count {
                let raw = UInt32(b[3 * i]) | UInt32(b[3 * i + 1]) << 8 | UInt32(b[3 * i + 2]) << 16
                output[i] = Int32(bitPattern: raw << 8) >> 8
            }
        case 32:
            for i in 0..<count {
                output[i] = Int32(bitPattern: UInt32(b[4 * i]) | UInt32(b[4 * i + 1]) << 8
                                  | UInt32(b[4 * i + 2]) << 16 | UInt32(b[4 * i + 3]) << 24)
            }
        case 212:
            for i in 0..<count {
                let base = i / 2 * 3
                let raw = i % 2 == 0
                    ? Int32(b[base]) | Int32(b[base + 1] & 0x0F) << 8
                    : Int32(b[base + 2]) | Int32(b[base + 1] >> 4) << 8
                output[i] = raw > 2047 ? raw - 4096 : raw
            }
        case 310:
            for i in 0..<count {
                let base = i / 3 * 4
                let raw: Int32
                switch i % 3 {
                case 0: raw = Int32(b[base] >> 1) | Int32(b[base + 1] & 0x07) << 7
                case 1: raw = Int32(b[base + 2] >> 1) | Int32(b[base + 3] & 0x07) << 7
                default: raw = Int32(b[base + 1] >> 3) | Int32(b[base + 3] >> 3) << 5
                }
                output[i] = raw > 511 ? raw - 1024 : raw
            }
        default:  // 311
            for i in 0..<count {
                let base = i / 3 * 4
                let raw: Int32
                switch i % 3 {
                case 0: raw = Int32(b[base]) | Int32(b[base + 1] & 0x03) << 8
                case 1: raw = Int32(b[base + 1] >> 2) | Int32(b[base + 2] & 0x0F) << 6
                default: raw = Int32(b[base + 2] >> 4) | Int32(b[base + 3] & 0x7F) << 4
                }
                output[i] = raw > 511 ? raw - 1024 : raw
            }
        }
    }

    /// Appends `values` as little-endian int16 (format 16); values must fit in Int16.
    static func encode16(_ values: [Int32], into bytes: inout [UInt8]) {
        bytes.reserveCapacity(bytes.count + 2 * values.count)
        for value in values {
            let bits = UInt16(bitPattern: Int16(truncatingIfNeeded: value))
            bytes.append(UInt8(bits & 0xFF))
            bytes.append(UInt8(bits >> 8))
        }
    }
}
