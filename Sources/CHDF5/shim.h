// CHDF5: libhdf5 1.10 plus non-macro accessors for the constants Swift cannot import.
#include <hdf5.h>
