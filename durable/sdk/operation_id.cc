#include "durable/sdk/operation_id.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>

#include "durable/base/ids.h"

namespace durable::sdk {
namespace {

// MD5 (RFC 1321), written out here because ids are short (one 64-byte block for any raw id under
// 56 bytes) and hashed once per operation on every replay: through OpenSSL's EVP interface each
// digest fetched the algorithm and allocated and cleansed a context, several times the cost of
// the hashing itself. MD5 is not used for security here, only to reproduce the JS SDK's ids.
class Md5 {
 public:
  static std::array<unsigned char, 16> Digest(std::string_view s) {
    Md5 md;
    size_t pos = 0;
    for (; pos + 64 <= s.size(); pos += 64) {
      md.Block(reinterpret_cast<const unsigned char*>(s.data()) + pos);
    }
    // The tail, the 0x80 marker, zeros and the bit length (little-endian) fill one or two blocks.
    unsigned char tail[128] = {};
    const size_t rest = s.size() - pos;
    std::memcpy(tail, s.data() + pos, rest);
    tail[rest] = 0x80;
    const size_t blocks = rest + 1 + 8 <= 64 ? 1 : 2;
    const uint64_t bits = static_cast<uint64_t>(s.size()) * 8;
    for (int i = 0; i < 8; ++i) {
      tail[blocks * 64 - 8 + i] = static_cast<unsigned char>(bits >> (8 * i));
    }
    for (size_t b = 0; b < blocks; ++b) md.Block(tail + 64 * b);
    std::array<unsigned char, 16> out;
    for (int w = 0; w < 4; ++w) {
      for (int i = 0; i < 4; ++i) out[w * 4 + i] = static_cast<unsigned char>(md.h_[w] >> (8 * i));
    }
    return out;
  }

 private:
  // K[i] = floor(|sin(i + 1)| * 2^32), as the RFC defines the table.
  static const std::array<uint32_t, 64>& K() {
    static const std::array<uint32_t, 64> k = [] {
      std::array<uint32_t, 64> t{};
      for (int i = 0; i < 64; ++i) {
        t[i] = static_cast<uint32_t>(std::floor(std::fabs(std::sin(i + 1.0)) * 4294967296.0));
      }
      return t;
    }();
    return k;
  }

  static uint32_t Rotl(uint32_t x, int c) { return (x << c) | (x >> (32 - c)); }

  void Block(const unsigned char* p) {
    static constexpr int kShift[4][4] = {
        {7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};
    const std::array<uint32_t, 64>& k = K();
    uint32_t m[16];
    for (int i = 0; i < 16; ++i) {
      m[i] = uint32_t{p[4 * i]} | uint32_t{p[4 * i + 1]} << 8 | uint32_t{p[4 * i + 2]} << 16 |
             uint32_t{p[4 * i + 3]} << 24;
    }
    uint32_t a = h_[0], b = h_[1], c = h_[2], d = h_[3];
    for (int i = 0; i < 64; ++i) {
      uint32_t f;
      int g;
      switch (i / 16) {
        case 0:
          f = (b & c) | (~b & d);
          g = i;
          break;
        case 1:
          f = (d & b) | (~d & c);
          g = (5 * i + 1) % 16;
          break;
        case 2:
          f = b ^ c ^ d;
          g = (3 * i + 5) % 16;
          break;
        default:
          f = c ^ (b | ~d);
          g = (7 * i) % 16;
          break;
      }
      f += a + k[i] + m[g];
      a = d;
      d = c;
      c = b;
      b += Rotl(f, kShift[i / 16][i % 4]);
    }
    h_[0] += a;
    h_[1] += b;
    h_[2] += c;
    h_[3] += d;
  }

  uint32_t h_[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
};

std::string_view Bytes(const std::array<unsigned char, 16>& digest, size_t n) {
  return std::string_view(reinterpret_cast<const char*>(digest.data()), n);
}

}  // namespace

std::string Md5Hex(std::string_view s) { return HexEncode(Bytes(Md5::Digest(s), 16)); }

// 16 hex characters: the first 8 bytes of the digest.
std::string HashOperationId(std::string_view raw_id) {
  return HexEncode(Bytes(Md5::Digest(raw_id), 8));
}

std::string RawOperationId(std::string_view prefix, int64_t n) {
  if (prefix.empty()) return std::to_string(n);
  return std::string(prefix) + "-" + std::to_string(n);
}

}  // namespace durable::sdk
