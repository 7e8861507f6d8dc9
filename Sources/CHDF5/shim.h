// CHDF5: libhdf5 1.10 plus non-macro accessors for the constants Swift cannot import.
// The H5T_NATIVE_* / H5P_* "constants" are macros that call H5open() and read a global,
// and H5E_DEFAULT / H5F_ACC_* / H5T_VARIABLE are casts; Swift imports none of them.
#include <hdf5.h>

static inline hid_t chdf5_default(void) { return H5P_DEFAULT; }
static inline hid_t chdf5_error_default(void) { return H5E_DEFAULT; }
static inline hid_t chdf5_space_all(void) { return H5S_ALL; }

static inline unsigned chdf5_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline unsigned chdf5_acc_rdwr(void) { return H5F_ACC_RDWR; }
static inline unsigned chdf5_acc_trunc(void) { return H5F_ACC_TRUNC; }
static inline unsigned chdf5_acc_excl(void) { return H5F_ACC_EXCL; }

static inline hid_t chdf5_file_create_class(void) { return H5P_FILE_CREATE; }
static inline hid_t chdf5_file_access_class(void) { return H5P_FILE_ACCESS; }
static inline hid_t chdf5_group_create_class(void) { return H5P_GROUP_CREATE; }
static inline hid_t chdf5_dataset_create_class(void) { return H5P_DATASET_CREATE; }
static inline hid_t chdf5_dataset_xfer_class(void) { return H5P_DATASET_XFER; }
static inline hid_t chdf5_attribute_create_class(void) { return H5P_ATTRIBUTE_CREATE; }
static inline hid_t chdf5_link_create_class(void) { return H5P_LINK_CREATE; }

static inline hid_t chdf5_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t chdf5_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t chdf5_native_int8(void) { return H5T_NATIVE_INT8; }
static inline hid_t chdf5_native_int16(void) { return H5T_NATIVE_INT16; }
static inline hid_t chdf5_native_int32(void) { return H5T_NATIVE_INT32; }
static inline hid_t chdf5_native_int64(void) { return H5T_NATIVE_INT64; }
static inline hid_t chdf5_native_uint8(void) { return H5T_NATIVE_UINT8; }
static inline hid_t chdf5_native_uint16(void) { return H5T_NATIVE_UINT16; }
static inline hid_t chdf5_native_uint32(void) { return H5T_NATIVE_UINT32; }
static inline hid_t chdf5_native_uint64(void) { return H5T_NATIVE_UINT64; }

/* File-side (little-endian IEEE / two's complement) types, so files are the same on any host. */
static inline hid_t chdf5_ieee_f32le(void) { return H5T_IEEE_F32LE; }
static inline hid_t chdf5_ieee_f64le(void) { return H5T_IEEE_F64LE; }
static inline hid_t chdf5_std_i8le(void) { return H5T_STD_I8LE; }
static inline hid_t chdf5_std_i16le(void) { return H5T_STD_I16LE; }
static inline hid_t chdf5_std_i32le(void) { return H5T_STD_I32LE; }
static inline hid_t chdf5_std_i64le(void) { return H5T_STD_I64LE; }
static inline hid_t chdf5_std_u8le(void) { return H5T_STD_U8LE; }

static inline hid_t chdf5_c_s1(void) { return H5T_C_S1; }
static inline size_t chdf5_variable(void) { return H5T_VARIABLE; }

static inline unsigned chdf5_crt_order_tracked(void) { return H5P_CRT_ORDER_TRACKED; }
static inline unsigned chdf5_crt_order_indexed(void) { return H5P_CRT_ORDER_INDEXED; }
static inline unsigned chdf5_object_info_basic(void) { return H5O_INFO_BASIC; }
