using System.Globalization;
using Infera.Identity;

namespace Infera.NodeAgent;

/// <summary>
/// The node's private key on disk: 64 hex digits in a file only its owner can read (mode 0600), created on first
/// use. The key is the node's identity; losing it loses the node's reputation.
/// </summary>
public static class KeyFile
{
    public static NodeIdentity LoadOrCreate(string path, out bool created)
    {
        created = false;
        if (File.Exists(path))
        {
            var text = File.ReadAllText(path).Trim();
            var hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
            if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigit))
            {
                throw new InvalidDataException($"{path} is not a node key file: expected 64 hex digits (a secp256k1 private key).");
            }

            return NodeIdentity.FromPrivateKey(Convert.FromHexString(hex));
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        var identity = NodeIdentity.Create();
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options))
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"0x{Convert.ToHexStringLower(identity.ExportPrivateKey())}\n"));
        }

        created = true;
        return identity;
    }

    /// <summary>True when users other than the owner can read the file.</summary>
    public static bool IsExposed(string path) =>
        !OperatingSystem.IsWindows()
        && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0;
}
