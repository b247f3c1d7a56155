using System.Runtime.InteropServices;
using System.Text;
using SpecSynth.Providers.Keys;

namespace SpecSynth.Tests.Providers.Keys;

/// <summary>The platform-neutral half of the Windows Credential Manager store: names, blob encoding and the
/// <c>CREDENTIALW</c> layout (the advapi32 calls themselves run only on Windows and are not tested here).</summary>
public sealed class CredentialManagerFormatTests
{
    [Fact]
    public void TheTarget_IsSpecsynthColonProvider() =>
        Assert.Equal("specsynth:claude", CredentialManagerFormat.Target("claude"));

    [Theory]
    [InlineData("sk-ant-api03-0123456789abcdef")]
    [InlineData("clé-ключ-鍵-🔑")]
    public void TheBlob_IsUtf16LittleEndian_AndRoundTrips(string key)
    {
        var blob = CredentialManagerFormat.Encode(key);

        Assert.Equal(Encoding.Unicode.GetBytes(key), blob);
        Assert.Equal(key, CredentialManagerFormat.Decode(blob));
    }

    [Fact]
    public void AKeyLongerThanTheCredentialManagerKeeps_IsRefused_WithoutTheKey()
    {
        var key = new string('k', (CredentialManagerFormat.MaxBlobSize / 2) + 1);

        var error = Assert.Throws<SpecSynthException>(() => CredentialManagerFormat.Encode(key));

        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
        Assert.Contains("at most 1280", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key, error.Message, StringComparison.Ordinal);
        Assert.Equal(CredentialManagerFormat.MaxBlobSize, CredentialManagerFormat.Encode(key[1..]).Length);
    }

    [Fact]
    public void AnOddTrailingByte_IsIgnored() =>
        Assert.Equal("ab", CredentialManagerFormat.Decode([(byte)'a', 0, (byte)'b', 0, 0x7f]));

    [Fact]
    public void TheCredential_IsGeneric_PersistedForTheMachine_OverTheGivenPointers()
    {
        var credential = CredentialManagerFormat.Build(1, 2, 3, 4, 42);

        Assert.Equal(1u, credential.Type);
        Assert.Equal(2u, credential.Persist);
        Assert.Equal(0u, credential.Flags);
        Assert.Equal((1, 2, 3, 4), (credential.TargetName, credential.UserName, credential.Comment, credential.CredentialBlob));
        Assert.Equal(42u, credential.CredentialBlobSize);
        Assert.Equal((0u, IntPtr.Zero), (credential.AttributeCount, credential.Attributes));
    }

    [Fact]
    public void TheCredentialLayout_MatchesWin32Credentialw()
    {
        // x64: DWORD Flags @0, Type @4, LPWSTR TargetName @8, Comment @16, FILETIME @24, DWORD BlobSize @32,
        // LPBYTE Blob @40, Persist @48, AttributeCount @52, Attributes @56, TargetAlias @64, UserName @72; 80 bytes.
        // x86: pointers are 4 bytes and nothing is padded: 52 bytes.
        var p = IntPtr.Size;
        Assert.Equal(p == 8 ? 80 : 52, Marshal.SizeOf<NativeCredential>());
        Assert.Equal(8, Offset(nameof(NativeCredential.TargetName)));
        Assert.Equal(8 + (2 * p), Offset(nameof(NativeCredential.LastWrittenLow)));
        Assert.Equal(16 + (2 * p), Offset(nameof(NativeCredential.CredentialBlobSize)));
        Assert.Equal(p == 8 ? 40 : 28, Offset(nameof(NativeCredential.CredentialBlob)));
        Assert.Equal(p == 8 ? 48 : 32, Offset(nameof(NativeCredential.Persist)));
        Assert.Equal(p == 8 ? 72 : 48, Offset(nameof(NativeCredential.UserName)));
    }

    private static int Offset(string field) => (int)Marshal.OffsetOf<NativeCredential>(field);
}
