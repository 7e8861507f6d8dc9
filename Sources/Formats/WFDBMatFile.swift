// WFDBMatFile: checks the MATLAB v4 header in front of the int16 data of PhysioNet/CinC
// Challenge `.mat` signal files, which WFDB headers declare as format `16+24`.
//
// MAT v4 layout (all little-endian int32): type (M*1000 + O*100 + P*10 + T: M 0 = little-endian,
// P 3 = int16, T 0 = full matrix), mrows, ncols, imagf, namlen; then the name (namlen bytes,
// NUL-terminated, `val`), then mrows x ncols values column-major = frame-interleaved samples.
// MAT v5 files (116-byte text header "MATLAB 5.0 MAT-file") are trusted to the header's byte
// offset; anything else is refused. Reference: MathWorks "MAT-File Format" (v4 section).
import Foundation

enum WFDBMatFile {
    /// Bytes of the fixed part of a MAT v4 matrix header.
    static let version4FixedHeaderSize = 20
    /// Text that opens a MAT v5 file.
    static let version5Magic = Array("MATLAB 5.0".utf8)

    /// MAT v4 precision code P for the WFDB formats a `.mat` file can hold.
    static func precision(forFormat format: Int) -> Int? {
        switch format {
        case 16: 3
        case 32: 2
        case 80: 5
        default: nil
        }
    }

    /// Throws `.matFile` when the `.mat` header disagrees with the WFDB header's format,
    /// signal count, length or byte offset.
    static func validate(path: String, format: Int, rows: Int, columns: Int, dataOffset: Int) throws {
        let head = try WFDBSingleSegmentReader.readBytes(path, offset: 0, length: min(dataOffset, 128))
        let bytes = [UInt8](head)
        if bytes.starts(with: version5Magic) { return }
        guard bytes.count >= version4FixedHeaderSize else {
            throw WFDBError(.matFile, file: path, byteOffset: 0,
                            "byte offset \(dataOffset) is too small for a MATLAB v4 header (20 bytes + name)")
        }
        func field(_ index: Int) -> Int {
            let base = index * 4
            return Int(Int32(bitPattern: UInt32(bytes[base]) | UInt32(bytes[base + 1]) << 8
                             | UInt32(bytes[base + 2]) << 16 | UInt32(bytes[base + 3]) << 24))
        }
        let type = field(0), mrows = field(1), ncols = field(2), imaginary = field(3), nameLength = field(4)
        let machine = type / 1000, precisionCode = type / 10 % 10, matrixType = type % 10
        guard (0..<5000).contains(type), type / 100 % 10 == 0 else {
            throw WFDBError(.matFile, file: path, byteOffset: 0,
                            "not a MATLAB v4 or v5 file (type field \(type))")
        }
        guard machine == 0, matrixType == 0, imaginary == 0 else {
            throw WFDBError(.matFile, file: path, byteOffset: 0,
                            "MATLAB v4 matrix type \(type) is not a real little-endian full matrix (expected type \(precision(forFormat: format).map { $0 * 10 } ?? 0))")
        }
        if let expected = precision(forFormat: format), expected != precisionCode {
            throw WFDBError(.matFile, file: path, byteOffset: 0,
                            "MATLAB v4 precision \(precisionCode) does not match WFDB format \(format) (expected precision \(expected))")
        }
        guard mrows == rows else {
            throw WFDBError(.matFile, file: path, byteOffset: 4,
                            "MATLAB v4 matrix has \(mrows) rows but the WFDB header puts \(rows) signals in this file")
        }
        guard ncols >= columns else {
            throw WFDBError(.matFile, file: path, byteOffset: 8,
                            "MATLAB v4 matrix has \(ncols) columns but the WFDB header declares \(columns) samples")
        }
        guard version4FixedHeaderSize + nameLength == dataOffset else {
            throw WFDBError(.matFile, file: path, byteOffset: 16,
                            "MATLAB v4 header ends at byte \(version4FixedHeaderSize + nameLength) but the WFDB header's byte offset is \(dataOffset)")
        }
    }
}
