// The PNG writer: checksums against published values, and a real decoder (ImageMagick) reading the
// exact pixels back.

import Foundation
import Testing
import TestSupport
@testable import Render

struct PNGImageTests {
    @Test func checksumsMatchPublishedValues() {
        // The CRC-32 of the IEND chunk type that ends every PNG file (PNG specification), and Adler-32
        // of "Wikipedia" (the worked example of the Adler-32 article, 0x11E60398).
        #expect(PNGImage.crc32(Array("IEND".utf8)) == 0xAE42_6082)
        #expect(PNGImage.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
        #expect(PNGImage(width: 2, height: 2, pixels: [0, 0, 0]) == nil)
    }

    @Test func headerAndChunkLayout() throws {
        let image = try #require(PNGImage(width: 3, height: 2, pixels: Array(0..<18)))
        let bytes = image.encoded()
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // IHDR: length 13, width 3, height 2, depth 8, colour type 2 (RGB).
        #expect(Array(bytes[8..<16]) == [0, 0, 0, 13] + Array("IHDR".utf8))
        #expect(Array(bytes[16..<29]) == [0, 0, 0, 3, 0, 0, 0, 2, 8, 2, 0, 0, 0])
        #expect(Array(bytes.suffix(12)) == [0, 0, 0, 0] + Array("IEND".utf8) + [0xAE, 0x42, 0x60, 0x82])
        #expect(image.dataURI().hasPrefix("data:image/png;base64,iVBORw0KGgo"))
    }

    @Test(.enabled(if: BrowserTools.available, Comment(rawValue: BrowserTools.skipMessage)))
    func imageMagickReadsTheExactPixels() throws {
        // 70,000 pixels: more than one stored deflate block (65,535 bytes each).
        let width = 350, height = 200
        let pixels = (0..<(width * height * 3)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 / 3) }
        let image = try #require(PNGImage(width: width, height: height, pixels: pixels))
        let folder = try BrowserTools.temporaryFolder("png")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("image.png")
        try Data(image.encoded()).write(to: file)
        let decoded = try BrowserTools.pixels(of: file, x: 0, y: 0, width: width, height: height, in: folder)
        #expect(decoded.bytes == pixels)
    }
}
