using System.Security.Cryptography;
using Infera.Identity;

namespace Infera.UnitTests.Identity;

public sealed class PersonalMessageTests
{
    private const string Message = "Infera node link v1\nsilo: silo-1\nnonce: abc\naddress: 0x0\nsigned_at: 0";

    [Test]
    public void Signature_verifies_against_the_signers_key_and_address()
    {
        using var node = NodeIdentity.Create();

        var signature = node.SignMessage(Message);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(signature, Has.Length.EqualTo(64));
            Assert.That(PersonalMessage.Verify(Message, signature, node.PublicKey, node.Address), Is.True);
        }
    }

    [Test]
    public void Tampered_message_fails_verification()
    {
        using var node = NodeIdentity.Create();
        var signature = node.SignMessage(Message);

        Assert.That(PersonalMessage.Verify(Message + " ", signature, node.PublicKey, node.Address), Is.False);
    }

    [Test]
    public void Signature_by_another_key_fails_verification()
    {
        using var node = NodeIdentity.Create();
        using var impostor = NodeIdentity.Create();

        var signature = impostor.SignMessage(Message);

        Assert.That(PersonalMessage.Verify(Message, signature, node.PublicKey, node.Address), Is.False);
    }

    [Test]
    public void Valid_signature_under_a_key_that_is_not_the_claimed_addresses_fails()
    {
        using var node = NodeIdentity.Create();
        using var other = NodeIdentity.Create();
        var signature = node.SignMessage(Message);

        Assert.That(PersonalMessage.Verify(Message, signature, node.PublicKey, other.Address), Is.False);
    }

    [Test]
    public void Key_that_is_not_a_curve_point_fails_without_throwing()
    {
        using var node = NodeIdentity.Create();
        var signature = node.SignMessage(Message);
        var notOnCurve = new byte[64];
        notOnCurve[31] = 1; // (1, 0): y^2 = 0 but x^3 + 7 = 8
        var claimed = NodeAddress.FromPublicKey(notOnCurve); // so the check reaches the curve, not the address

        Assert.That(() => PersonalMessage.Verify(Message, signature, notOnCurve, claimed), Throws.Nothing);
        Assert.That(PersonalMessage.Verify(Message, signature, notOnCurve, claimed), Is.False);
    }

    [TestCase(63, 64)]
    [TestCase(64, 63)]
    [TestCase(0, 64)]
    public void Signature_or_key_of_the_wrong_length_fails_without_throwing(int signatureLength, int keyLength)
    {
        using var node = NodeIdentity.Create();

        Assert.That(
            PersonalMessage.Verify(Message, RandomNumberGenerator.GetBytes(signatureLength), RandomNumberGenerator.GetBytes(keyLength), node.Address),
            Is.False);
    }

    [Test]
    public void Hash_carries_the_eip191_prefix_with_the_utf8_byte_length()
    {
        // "é" is two UTF-8 bytes: the prefix must count bytes, not characters.
        var expected = Keccak256.Hash("\u0019Ethereum Signed Message:\n2é"u8);

        Assert.That(PersonalMessage.Hash("é"), Is.EqualTo(expected));
    }
}
