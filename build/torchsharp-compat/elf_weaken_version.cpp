// Marks one version requirement (e.g. GLIBCXX_3.4.32) of an ELF64 shared object as weak
// (VER_FLG_WEAK in its Vernaux entry), so that the dynamic loader no longer refuses to load it
// when the host library lacks that version. patchelf cannot do this; the format is in the
// LSB "Symbol Versioning" chapter (.gnu.version_r).
// Usage: elf_weaken_version FILE VERSION
// Exit codes: 0 marked (or already weak), 1 usage or I/O error, 2 not an ELF64 file, 3 version not required.
#include <elf.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

namespace {

template <typename T>
bool read_at(const std::vector<char>& image, std::size_t offset, T& value)
{
    if (offset > image.size() || image.size() - offset < sizeof(T)) {
        return false;
    }
    std::memcpy(&value, image.data() + offset, sizeof(T));
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s FILE VERSION\n", argv[0]);
        return 1;
    }
    const char* path = argv[1];
    const char* wanted = argv[2];

    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "elf_weaken_version: cannot open %s\n", path);
        return 1;
    }
    std::vector<char> image((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    in.close();

    Elf64_Ehdr header{};
    if (!read_at(image, 0, header) || std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 ||
        header.e_ident[EI_CLASS] != ELFCLASS64 || header.e_ident[EI_DATA] != ELFDATA2LSB) {
        std::fprintf(stderr, "elf_weaken_version: %s is not a little-endian ELF64 file\n", path);
        return 2;
    }

    int found = 0;
    for (unsigned i = 0; i < header.e_shnum; ++i) {
        Elf64_Shdr section{};
        if (!read_at(image, header.e_shoff + static_cast<std::size_t>(i) * header.e_shentsize, section)) {
            return 2;
        }
        if (section.sh_type != SHT_GNU_verneed) {
            continue;
        }
        Elf64_Shdr strings{};
        if (!read_at(image, header.e_shoff + static_cast<std::size_t>(section.sh_link) * header.e_shentsize, strings)) {
            return 2;
        }
        std::size_t need_offset = section.sh_offset;
        for (unsigned n = 0; n < section.sh_info; ++n) {
            Elf64_Verneed need{};
            if (!read_at(image, need_offset, need)) {
                return 2;
            }
            std::size_t aux_offset = need_offset + need.vn_aux;
            for (unsigned a = 0; a < need.vn_cnt; ++a) {
                Elf64_Vernaux aux{};
                if (!read_at(image, aux_offset, aux)) {
                    return 2;
                }
                std::size_t name_offset = strings.sh_offset + aux.vna_name;
                if (name_offset < image.size() &&
                    std::strncmp(image.data() + name_offset, wanted, image.size() - name_offset) == 0) {
                    aux.vna_flags |= VER_FLG_WEAK;
                    std::memcpy(image.data() + aux_offset, &aux, sizeof(aux));
                    ++found;
                }
                aux_offset += aux.vna_next;
            }
            need_offset += need.vn_next;
        }
    }

    if (found == 0) {
        std::fprintf(stderr, "elf_weaken_version: %s does not require %s\n", path, wanted);
        return 3;
    }
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(image.data(), static_cast<std::streamsize>(image.size()));
    return out ? 0 : 1;
}
