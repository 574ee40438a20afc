#include "test_pki.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <stdexcept>

namespace mfr::test {
namespace {

struct Free {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(BIO* p) const { BIO_free(p); }
  void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Free>;
using Cert = std::unique_ptr<X509, Free>;

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test PKI: ") + what + " failed");
}

Key ec_key(const char* curve) {
  Key key(EVP_EC_gen(curve));
  check(key != nullptr, "EC key generation");
  return key;
}

template <class Write>
std::string pem(Write write) {
  std::unique_ptr<BIO, Free> bio(BIO_new(BIO_s_mem()));
  check(write(bio.get()) == 1, "PEM writing");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string private_pem(EVP_PKEY* key) {
  return pem([&](BIO* b) { return PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr); });
}
std::string public_pem(EVP_PKEY* key) { return pem([&](BIO* b) { return PEM_write_bio_PUBKEY(b, key); }); }
std::string cert_pem(X509* cert) { return pem([&](BIO* b) { return PEM_write_bio_X509(b, cert); }); }

void add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  std::unique_ptr<X509_EXTENSION, Free> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  check(ext != nullptr, "certificate extension");
  check(X509_add_ext(cert, ext.get(), -1) == 1, "adding an extension");
}

// Issues a certificate for `key`, signed by `issuer_key` (itself when issuer is null: a root).
Cert issue(EVP_PKEY* key, const char* common_name, X509* issuer, EVP_PKEY* issuer_key, long not_before_days,
           long not_after_days, const char* san, bool is_ca, const char* extended_usage) {
  static long serial = 1000;
  Cert cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), ++serial);
  X509_time_adj_ex(X509_getm_notBefore(cert.get()), static_cast<int>(not_before_days), 0, nullptr);
  X509_time_adj_ex(X509_getm_notAfter(cert.get()), static_cast<int>(not_after_days), 0, nullptr);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("mfr-fhir tests"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(common_name), -1, -1, 0);
  X509* signer = issuer ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  if (is_ca) {
    add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
    add_extension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
    add_extension(cert.get(), signer, NID_key_usage, "critical,digitalSignature,keyAgreement");
    add_extension(cert.get(), signer, NID_ext_key_usage, extended_usage);
  }
  add_extension(cert.get(), signer, NID_subject_key_identifier, "hash");
  if (san) add_extension(cert.get(), signer, NID_subject_alt_name, san);
  check(X509_sign(cert.get(), issuer_key ? issuer_key : key, EVP_sha256()) > 0, "certificate signing");
  return cert;
}

CertifiedKey leaf(X509* ca, EVP_PKEY* ca_key, const char* cn, const char* san, long from_days, long to_days,
                  const char* usage = "serverAuth") {
  Key key = ec_key("P-256");
  Cert cert = issue(key.get(), cn, ca, ca_key, from_days, to_days, san, false, usage);
  return {cert_pem(cert.get()), private_pem(key.get())};
}

TestPki make() {
  TestPki pki;
  Key ca_key = ec_key("P-256");
  Cert ca = issue(ca_key.get(), "mfr-fhir test CA", nullptr, nullptr, -1, 30, nullptr, true, nullptr);
  pki.ca_pem = cert_pem(ca.get());
  Key other_key = ec_key("P-256");
  Cert other = issue(other_key.get(), "Somebody else's CA", nullptr, nullptr, -1, 30, nullptr, true, nullptr);
  pki.other_ca_pem = cert_pem(other.get());

  const char* loopback = "DNS:localhost,IP:127.0.0.1";
  pki.server = leaf(ca.get(), ca_key.get(), "127.0.0.1", loopback, -1, 30);
  pki.expired = leaf(ca.get(), ca_key.get(), "127.0.0.1", loopback, -10, -1);
  pki.wrong_host = leaf(ca.get(), ca_key.get(), "partner.example.org", "DNS:partner.example.org", -1, 30);
  pki.untrusted = leaf(other.get(), other_key.get(), "127.0.0.1", loopback, -1, 30);
  pki.client = leaf(ca.get(), ca_key.get(), "clinic-lyon", "DNS:clinic-lyon.example.org", -1, 30, "clientAuth");

  Key rsa(EVP_RSA_gen(2048));
  check(rsa != nullptr, "RSA key generation");
  pki.smart_rsa_private_pem = private_pem(rsa.get());
  pki.smart_rsa_public_pem = public_pem(rsa.get());
  Key ec = ec_key("P-384");
  pki.smart_ec_private_pem = private_pem(ec.get());
  pki.smart_ec_public_pem = public_pem(ec.get());
  return pki;
}

}  // namespace

const TestPki& test_pki() {
  static const TestPki pki = make();
  return pki;
}

}  // namespace mfr::test
