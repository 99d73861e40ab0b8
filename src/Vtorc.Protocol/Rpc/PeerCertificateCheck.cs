using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Vtorc.Protocol.Rpc;

/// <summary>
/// Judges the certificate a TLS peer presented against our own CAs (instead of the system roots) and revocation lists.
/// A refusal throws <see cref="AuthenticationException"/> with the reason (expired, not signed by the configured CA,
/// revoked), so the failed call's error says why the handshake failed instead of only that it did.
/// </summary>
internal sealed class PeerCertificateCheck(X509Certificate2Collection? authorities, IReadOnlyList<CertificateRevocationList>? revocationLists)
{
    /// <summary>For <see cref="RemoteCertificateValidationCallback"/> (client) and Kestrel's client-certificate callback (server).</summary>
    public bool Validate(X509Certificate? certificate, X509Chain? presentedChain, SslPolicyErrors errors, string peer)
    {
        if (certificate is null)
        {
            throw new AuthenticationException($"TLS: {peer} presented no certificate");
        }
        // A host-name mismatch stands whatever the CAs; only chain errors are judged again against our own roots.
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            throw new AuthenticationException($"TLS: the certificate of {peer} ({certificate.Subject}) does not name the host dialled "
                + "(set the expected name with the server-name flag, e.g. --tablet-manager-grpc-server-name)");
        }
        if (errors == SslPolicyErrors.None && authorities is not { Count: > 0 } && revocationLists is not { Count: > 0 })
        {
            return true;
        }
        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (authorities is { Count: > 0 })
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        }
        if (presentedChain is not null)
        {
            foreach (var element in presentedChain.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }
        if (!chain.Build(leaf))
        {
            var reasons = chain.ChainStatus.Select(s => s.Status switch
            {
                X509ChainStatusFlags.NotTimeValid => $"expired or not yet valid (valid {leaf.NotBefore.ToUniversalTime():u} to {leaf.NotAfter.ToUniversalTime():u})",
                // NotSignatureValid: a CA of the same name but another key (a CA that was re-created) is not the configured one either.
                X509ChainStatusFlags.UntrustedRoot or X509ChainStatusFlags.PartialChain or X509ChainStatusFlags.NotSignatureValid =>
                    authorities is { Count: > 0 } ? "not signed by the configured CA" : "not signed by a CA the system trusts",
                _ => s.StatusInformation.Trim().Length > 0 ? s.StatusInformation.Trim() : s.Status.ToString(),
            }).Distinct();
            throw new AuthenticationException($"TLS: the certificate of {peer} ({leaf.Subject}) is refused: {string.Join("; ", reasons)}");
        }
        if (revocationLists is { Count: > 0 } lists)
        {
            var elements = chain.ChainElements;
            for (int i = 0; i < elements.Count; i++)
            {
                var current = elements[i].Certificate;
                var issuer = i + 1 < elements.Count ? elements[i + 1].Certificate : current;
                if (lists.FirstOrDefault(l => l.Revokes(current, issuer)) is { } list)
                {
                    throw new AuthenticationException($"TLS: the certificate of {peer} ({current.Subject}, serial {current.SerialNumber}) "
                        + $"is revoked by the revocation list \"{list.Source}\"");
                }
            }
        }
        return true;
    }
}
