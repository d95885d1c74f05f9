using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Infera.Identity;
using Infera.NodeLink;

namespace Infera.Bench.Micro;

/// <summary>
/// The node-link handshake's cryptography: verifying an agent's EIP-191 signature (what the silo does per
/// connection), and its parts: the Keccak-256 address derivation and the message hash; signing is the agent's side.
/// </summary>
public class SignatureBenchmarks
{
    private NodeIdentity _identity = null!;
    private string _message = null!;
    private byte[] _signature = null!;
    private byte[] _hash = null!;
    private ECDsa _imported = null!;

    [GlobalSetup]
    public void Setup()
    {
        _identity = NodeIdentity.Create();
        _message = NodeLinkProtocol.HandshakeText("silo-bench", new string('a', 64), _identity.Address, 1_735_689_600_000);
        _signature = _identity.SignMessage(_message);
        _hash = PersonalMessage.Hash(_message);
        var key = _identity.PublicKey;
        _imported = ECDsa.Create(new ECParameters { Curve = NodeIdentity.Curve, Q = new ECPoint { X = key[..32], Y = key[32..] } });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _identity.Dispose();
        _imported.Dispose();
    }

    [Benchmark(Description = "PersonalMessage.Verify (silo, per handshake)")]
    public bool Verify() => PersonalMessage.Verify(_message, _signature, _identity.PublicKey, _identity.Address);

    [Benchmark(Description = "of which ECDSA verify alone (key imported beforehand)")]
    public bool VerifyHashOnly() => _imported.VerifyHash(_hash, _signature);

    [Benchmark(Description = "NodeAddress.FromPublicKey (Keccak-256 + EIP-55)")]
    public NodeAddress Address() => NodeAddress.FromPublicKey(_identity.PublicKey);

    [Benchmark(Description = "PersonalMessage.Hash (EIP-191 Keccak-256)")]
    public byte[] Hash() => PersonalMessage.Hash(_message);

    [Benchmark(Description = "NodeIdentity.SignMessage (agent)")]
    public byte[] Sign() => _identity.SignMessage(_message);
}
