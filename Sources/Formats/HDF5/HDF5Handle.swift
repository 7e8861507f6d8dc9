// HDF5Handle: an owned libhdf5 identifier (file, group, dataset, dataspace, datatype,
// attribute or property list) that is closed exactly once, in deinit, under the HDF5 lock.
import CHDF5

/// The kind of identifier, which decides the matching `H5*close` call.
enum HDF5HandleKind {
    case file, group, dataset, dataspace, datatype, attribute, propertyList
}

/// Owns one `hid_t`. Creating it from a negative id throws the drained HDF5 error,
/// so a live handle always holds a valid id; a leaked id would keep the file open
/// (and locked) under HDF5's default weak close degree.
final class HDF5Handle {
    let id: hid_t
    let kind: HDF5HandleKind

    /// Wraps `id`, throwing when libhdf5 reported a failure (a negative id).
    /// Call inside `HDF5Library.withLock`, right after the call that produced `id`.
    init(_ id: hid_t, _ kind: HDF5HandleKind, operation: String, path: String, file: String) throws {
        try HDF5Library.check(id, operation, path: path, file: file)
        self.id = id
        self.kind = kind
    }

    private var isOpen = true

    /// Closes the id now, throwing libhdf5's error (e.g. a failed flush when closing a file).
    func close(path: String, file: String) throws {
        try HDF5Library.withLock {
            guard isOpen else { return }
            isOpen = false
            try HDF5Library.check(Self.close(id, kind), "close", path: path, file: file)
        }
    }

    deinit {
        let id = self.id
        let kind = self.kind
        let wasOpen = isOpen
        HDF5Library.withLock {
            guard wasOpen else { return }
            // A file closed with the strong degree has already closed its objects; the
            // failing close of such an id is harmless and its error is discarded.
            if Self.close(id, kind) < 0 { H5Eclear2(chdf5_error_default()) }
        }
    }

    private static func close(_ id: hid_t, _ kind: HDF5HandleKind) -> herr_t {
        switch kind {
        case .file: H5Fclose(id)
        case .group: H5Gclose(id)
        case .dataset: H5Dclose(id)
        case .dataspace: H5Sclose(id)
        case .datatype: H5Tclose(id)
        case .attribute: H5Aclose(id)
        case .propertyList: H5Pclose(id)
        }
    }
}
