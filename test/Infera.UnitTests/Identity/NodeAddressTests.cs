using Infera.Identity;

namespace Infera.UnitTests.Identity;

public sealed class NodeAddressTests
{
    // Vectors from web3.js's accounts documentation and from the well-known key 1 (secp256k1's generator point).
    [TestCase("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318", "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23")]
    [TestCase("0000000000000000000000000000000000000000000000000000000000000001", "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf")]
    public void Private_key_derives_the_ethereum_address_in_checksum_form(string privateKeyHex, string expected)
    {
        using var identity = NodeIdentity.FromPrivateKey(Convert.FromHexString(privateKeyHex));

        Assert.That(identity.Address.Value, Is.EqualTo(expected));
    }

    [Test]
    public void Keccak256_of_empty_input_is_the_ethereum_constant()
    {
        var hash = Keccak256.Hash([]);

        // Ethereum's Keccak, not FIPS SHA3-256 (which gives a7ffc6f8...).
        Assert.That(Convert.ToHexStringLower(hash), Is.EqualTo("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"));
    }

    [Test]
    public void Exported_private_key_loads_back_to_the_same_address()
    {
        using var original = NodeIdentity.Create();
        using var loaded = NodeIdentity.FromPrivateKey(original.ExportPrivateKey());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(loaded.Address, Is.EqualTo(original.Address));
            Assert.That(loaded.PublicKey, Is.EqualTo(original.PublicKey));
            Assert.That(original.PublicKey, Has.Length.EqualTo(64));
        }
    }

    [TestCase("0x2c7536E3605D9C16a7a3D7b1898e529396a65c23")]
    [TestCase("0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf")]
    public void Address_with_a_valid_checksum_parses(string text)
    {
        Assert.That(NodeAddress.TryParse(text, out var address), Is.True);
        Assert.That(address.Value, Is.EqualTo(text));
    }

    [Test]
    public void An_upper_case_0X_prefix_does_not_count_against_the_checksum()
    {
        Assert.That(NodeAddress.TryParse("0X2c7536E3605D9C16a7a3D7b1898e529396a65c23", out var address), Is.True);
        Assert.That(address.Value, Is.EqualTo("0x2c7536E3605D9C16a7a3D7b1898e529396a65c23"));
    }

    [TestCase("0x2c7536e3605D9C16a7a3D7b1898e529396a65c23", Description = "one letter's case flipped")]
    [TestCase("0x7e5F4552091A69125d5DfCb7b8C2659029395Bdf", Description = "first letter lower case")]
    public void Mixed_case_address_with_a_wrong_checksum_is_refused(string text)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(NodeAddress.TryParse(text, out _), Is.False);
            Assert.That(() => NodeAddress.Parse(text), Throws.InstanceOf<FormatException>());
        }
    }

    [TestCase("0x2c7536e3605d9c16a7a3d7b1898e529396a65c23", "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23")]
    [TestCase("0x7E5F4552091A69125D5DFCB7B8C2659029395BDF", "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf")]
    public void Single_case_address_is_accepted_and_normalised_to_its_checksum(string text, string normalised)
    {
        Assert.That(NodeAddress.Parse(text).Value, Is.EqualTo(normalised));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("2c7536E3605D9C16a7a3D7b1898e529396a65c23", Description = "no 0x prefix")]
    [TestCase("0x2c7536E3605D9C16a7a3D7b1898e529396a65c2", Description = "one digit short")]
    [TestCase("0x2c7536E3605D9C16a7a3D7b1898e529396a65c233", Description = "one digit long")]
    [TestCase("0x2c7536e3605d9c16a7a3d7b1898e529396a65cgg", Description = "not hex")]
    public void Malformed_address_is_refused(string? text)
    {
        Assert.That(NodeAddress.TryParse(text, out _), Is.False);
    }

    [Test]
    public void Public_key_of_the_wrong_length_is_an_argument_error()
    {
        Assert.That(() => NodeAddress.FromPublicKey(new byte[65]), Throws.ArgumentException);
    }
}
