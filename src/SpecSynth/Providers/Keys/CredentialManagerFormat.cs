using System.Security.Cryptography;
using System.Text;

namespace SpecSynth.Providers.Keys;

/// <summary>How the Credential Manager store names and encodes a key: a generic credential with target
/// <c>specsynth:PROVIDER</c>, user name the provider, persisted for the local machine (this user, not roamed), the key as
/// UTF-16LE bytes (as <c>cmdkey</c> and Credential Manager's own dialog store passwords). Platform-neutral, so tested anywhere.</summary>
internal static class CredentialManagerFormat
{
    /// <summary><c>CRED_TYPE_GENERIC</c>.</summary>
    public const uint TypeGeneric = 1;

    /// <summary><c>CRED_PERSIST_LOCAL_MACHINE</c>: kept across logons on this machine, not roamed with the profile.</summary>
    public const uint PersistLocalMachine = 2;

    /// <summary><c>CRED_MAX_CREDENTIAL_BLOB_SIZE</c> (5 * 512 bytes).</summary>
    public const int MaxBlobSize = 5 * 512;

    /// <summary>The target name prefix.</summary>
    public const string TargetPrefix = "specsynth:";

    /// <summary>The credential's target name for <paramref name="provider"/>.</summary>
    public static string Target(string provider) => TargetPrefix + provider;

    /// <summary>The key as the credential's blob (UTF-16LE); the caller zeroes it after use.</summary>
    /// <exception cref="SpecSynthException">The key is longer than the Credential Manager keeps.</exception>
    public static byte[] Encode(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var bytes = Encoding.Unicode.GetBytes(key);
        if (bytes.Length > MaxBlobSize)
        {
            CryptographicOperations.ZeroMemory(bytes);
            throw new SpecSynthException(ErrorKind.InvalidInput,
                $"the key is {key.Length} characters; the Windows Credential Manager keeps at most {MaxBlobSize / 2} (use SPECSYNTH_KEY_STORE=file)");
        }
        return bytes;
    }

    /// <summary>The key from a credential's blob (UTF-16LE; an odd trailing byte is ignored).</summary>
    public static string Decode(ReadOnlySpan<byte> blob) => Encoding.Unicode.GetString(blob[..(blob.Length & ~1)]);

    /// <summary>A generic, machine-persisted credential over already-allocated native strings and blob.</summary>
    public static NativeCredential Build(IntPtr target, IntPtr userName, IntPtr comment, IntPtr blob, int blobSize) => new()
    {
        Type = TypeGeneric,
        TargetName = target,
        UserName = userName,
        Comment = comment,
        CredentialBlob = blob,
        CredentialBlobSize = (uint)blobSize,
        Persist = PersistLocalMachine,
    };
}
