// HDF5File: creating and safely opening HDF5 files, and the atomic save helper
// (write `.name.tmp-<pid>` beside the target, close, fsync, rename over the target).
import CHDF5
import Foundation

/// An open HDF5 file.
///
/// Files are written with library-version bounds (EARLIEST, V18), so HDF5 1.8 tools
/// (older MATLAB, ParaView) read them; with link creation order tracked on every group;
/// without object timestamps, so the same content gives the same bytes. The close degree
/// is `H5F_CLOSE_STRONG`: `close()` (or releasing the last reference) closes every group,
/// dataset and attribute of the file, so a forgotten object never keeps the file locked.
/// Objects obtained from a file keep it alive. Open, work, close: do not keep files open
/// between commands (HDF5 1.10 locks open files against other processes).
public final class HDF5File {
    /// The path as given when creating or opening.
    public let path: String
    let handle: HDF5Handle

    private init(path: String, handle: HDF5Handle) {
        self.path = path
        self.handle = handle
    }

    /// Creates (or truncates) the file at `url`.
    public static func create(at url: URL) throws -> HDF5File {
        let path = url.path
        return try HDF5Library.withLock {
            let creation = try HDF5Handle(H5Pcreate(chdf5_file_create_class()), .propertyList,
                                          operation: "create file properties", path: "/", file: path)
            let order = chdf5_crt_order_tracked() | chdf5_crt_order_indexed()
            try HDF5Library.check(H5Pset_link_creation_order(creation.id, order),
                                  "track link creation order", path: "/", file: path)
            try HDF5Library.check(H5Pset_obj_track_times(creation.id, false),
                                  "disable object timestamps", path: "/", file: path)
            let access = try accessProperties(path)
            let id = H5Fcreate(path, chdf5_acc_trunc(), creation.id, access.id)
            return HDF5File(path: path, handle: try HDF5Handle(id, .file, operation: "create file",
                                                               path: "/", file: path))
        }
    }

    /// Opens an existing HDF5 file, read-only unless `writable`.
    ///
    /// Refuses missing, empty, foreign and damaged files with an `HDF5Error` naming the
    /// file: kind `.fileNotFound`, or `.notHDF5` with HDF5's reason (for a truncated file
    /// libhdf5 says e.g. "truncated file: eof = 1024, ... stored_eof = 4096").
    public static func open(at url: URL, writable: Bool = false) throws -> HDF5File {
        let path = url.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
              FileManager.default.isReadableFile(atPath: path) else {
            throw HDF5Error(kind: .fileNotFound, operation: "open file", objectPath: "/", fileName: path,
                            messages: ["no readable file at this path"])
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        if size == 0 {
            throw HDF5Error(kind: .notHDF5, operation: "open file", objectPath: "/", fileName: path,
                            messages: ["not an HDF5 file (the file is empty, 0 bytes)"])
        }
        return try HDF5Library.withLock {
            if H5Fis_hdf5(path) <= 0 {
                _ = HDF5Library.drainErrorStack()
                throw HDF5Error(kind: .notHDF5, operation: "open file", objectPath: "/", fileName: path,
                                messages: ["not an HDF5 file (no HDF5 signature found; \(size) bytes)"])
            }
            let access = try accessProperties(path)
            let mode = writable ? chdf5_acc_rdwr() : chdf5_acc_rdonly()
            let id = H5Fopen(path, mode, access.id)
            if id < 0 {
                // A signature followed by an unreadable superblock or object headers is damage;
                // anything else (locks, a conflicting open in this process) is reported as is.
                let messages = HDF5Library.drainErrorStack()
                let damaged = messages.contains { $0.contains("truncated") || $0.contains("superblock")
                    || $0.contains("signature") || $0.contains("object header") }
                throw HDF5Error(kind: damaged ? .notHDF5 : .library, operation: "open file", objectPath: "/",
                                fileName: path,
                                messages: damaged ? ["the HDF5 file is damaged or truncated"] + messages : messages)
            }
            return HDF5File(path: path, handle: try HDF5Handle(id, .file, operation: "open file",
                                                               path: "/", file: path))
        }
    }

    /// The root group `/`.
    public func root() throws -> HDF5Group {
        try HDF5Group(file: self, path: "/", open: { loc in H5Gopen2(loc, "/", chdf5_default()) })
    }

    /// Flushes and closes the file and every object still open in it; throws when the
    /// final write fails. Objects of a closed file are unusable (their calls throw).
    public func close() throws {
        try handle.close(path: "/", file: path)
    }

    /// Writes a file atomically: `body` fills the root group of a temporary file
    /// `.<name>.tmp-<pid>` in the target's folder, which is then closed, fsync'ed and
    /// renamed over `url` (and the folder fsync'ed). If `body` or any step throws, or the
    /// process dies, the temporary file is removed (or left aside) and an existing file at
    /// `url` is untouched.
    public static func saveAtomically(to url: URL, _ body: (HDF5Group) throws -> Void) throws {
        let folder = url.deletingLastPathComponent()
        let temporary = temporaryName(for: url)
        do {
            let file = try HDF5File.create(at: temporary)
            do {
                try body(try file.root())
            } catch {
                try? file.close()
                throw error
            }
            try file.close()
            try synchronise(temporary.path, target: url.path)
            if rename(temporary.path, url.path) != 0 {
                throw HDF5Error(kind: .io, operation: "rename the saved file over", objectPath: "/",
                                fileName: url.path, messages: [String(cString: strerror(errno))])
            }
            // The rename is durable only once the folder entry is on disk; a failure here
            // leaves a complete file, so it is not reported.
            try? synchronise(folder.path, target: url.path)
        } catch {
            unlink(temporary.path)
            throw error
        }
    }

    /// The temporary name `saveAtomically` uses for `url` in this process.
    public static func temporaryName(for url: URL) -> URL {
        url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
    }

    private static func synchronise(_ path: String, target: String) throws {
        let descriptor = Glibc.open(path, O_RDONLY)
        guard descriptor >= 0, fsync(descriptor) == 0 else {
            let reason = String(cString: strerror(errno))
            if descriptor >= 0 { Glibc.close(descriptor) }
            throw HDF5Error(kind: .io, operation: "fsync", objectPath: "/", fileName: target,
                            messages: ["\(path): \(reason)"])
        }
        Glibc.close(descriptor)
    }

    /// File access: bounds (EARLIEST, V18) so 1.8 readers work; strong close degree; no file locking.
    ///
    /// HDF5 1.10 takes an flock on every open file. ecgs never modifies a file in place (saves
    /// write a temporary file and rename it), so the lock protects nothing here, while it fails
    /// on some network file systems and, once a process forks, outlives the descriptor that
    /// took it (the child's copy keeps it), making a later open fail with EAGAIN.
    private static func accessProperties(_ path: String) throws -> HDF5Handle {
        let access = try HDF5Handle(H5Pcreate(chdf5_file_access_class()), .propertyList,
                                    operation: "create file access properties", path: "/", file: path)
        try HDF5Library.check(H5Pset_libver_bounds(access.id, H5F_LIBVER_EARLIEST, H5F_LIBVER_V18),
                              "cap library version bounds at 1.8", path: "/", file: path)
        try HDF5Library.check(H5Pset_fclose_degree(access.id, H5F_CLOSE_STRONG),
                              "set close degree", path: "/", file: path)
        try HDF5Library.check(H5Pset_file_locking(access.id, false, true),
                              "turn off file locking", path: "/", file: path)
        return access
    }
}
