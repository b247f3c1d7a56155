using System.Runtime.Versioning;
using SpecSynth.Providers.Keys;

namespace SpecSynth.Tests.Providers.Keys;

/// <summary>The file store: created 0600, refused when group or others may read it (as ssh does), keys per provider.</summary>
public sealed class FileKeyStoreTests : IDisposable
{
    private const string Key = "sk-ant-api03-FILE-STORE-0123456789";
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void SetGetRemove_KeepOneKeyPerProvider_InAFileOnlyItsOwnerMayRead()
    {
        var path = _dir.Combine("state", FileKeyStore.FileName);
        var store = new FileKeyStore(path);

        store.Set("claude", Key);
        store.Set("openai", "sk-openai-other");
        store.Set("claude", Key + "-new");

        Assert.Equal(Key + "-new", store.Get("claude"));
        Assert.Equal("sk-openai-other", store.Get("openai"));
        Assert.Null(store.Get("ollama"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.True(store.Remove("claude"));
        Assert.False(store.Remove("claude"));
        Assert.Null(store.Get("claude"));
        Assert.Equal("sk-openai-other", new FileKeyStore(path).Get("openai"));
    }

    [Theory]
    [InlineData(UnixFileMode.GroupRead)]
    [InlineData(UnixFileMode.OtherRead)]
    [InlineData(UnixFileMode.OtherWrite)]
    [UnsupportedOSPlatform("windows")]
    public void AFileOthersMayUse_IsRefused_WithTheFixAndWithoutTheKey(UnixFileMode extra)
    {
        var path = _dir.Combine(FileKeyStore.FileName);
        new FileKeyStore(path).Set("claude", Key);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | extra);

        var error = Assert.Throws<SpecSynthException>(() => new FileKeyStore(path).Get("claude"));

        Assert.Equal(ErrorKind.Auth, error.Kind);
        Assert.Contains($"chmod 600 {path}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutADBusSession_TheFileStoreInTheStateFolder_IsUsed_AndSaysWhy()
    {
        var env = new Dictionary<string, string> { ["SPECSYNTH_HOME"] = _dir.Combine("home") };

        var (store, reason) = KeyStores.Open(k => env.GetValueOrDefault(k));

        var file = Assert.IsType<FileKeyStore>(store);
        Assert.Equal(_dir.Combine("home", FileKeyStore.FileName), file.Location);
        Assert.Equal("no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set)", reason);
    }

    [Fact]
    public void SPECSYNTH_KEY_STORE_ChoosesTheStore_AndAnUnknownValueIsAnError()
    {
        var env = new Dictionary<string, string> { ["SPECSYNTH_HOME"] = _dir.Path, ["SPECSYNTH_KEY_STORE"] = "file", ["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=/nowhere" };

        var (store, reason) = KeyStores.Open(k => env.GetValueOrDefault(k));
        env["SPECSYNTH_KEY_STORE"] = "vault";
        var error = Assert.Throws<SpecSynthException>(() => KeyStores.Open(k => env.GetValueOrDefault(k)));

        Assert.IsType<FileKeyStore>(store);
        Assert.Null(reason);
        Assert.Contains("SPECSYNTH_KEY_STORE must be file, secret-service, keychain, credential-manager or auto, got 'vault'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fingerprint_IsAShortSha256Prefix_NotTheKey() =>
        Assert.Matches("^sha256:[0-9a-f]{8}$", KeyStores.Fingerprint(Key));
}
