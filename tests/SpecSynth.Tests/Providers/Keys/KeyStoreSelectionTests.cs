using SpecSynth.Providers.Keys;

namespace SpecSynth.Tests.Providers.Keys;

/// <summary>
/// Which store <see cref="KeyStores"/> picks on each operating system, with the system's store replaced by a stand-in
/// (the Keychain and Credential Manager stores themselves cannot run on Linux).
/// </summary>
public sealed class KeyStoreSelectionTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly Dictionary<string, string> _env = [];
    private int _opened;

    public KeyStoreSelectionTests() => _env["SPECSYNTH_HOME"] = _dir.Path;

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("Linux", "secret-service")]
    [InlineData("MacOS", "keychain")]
    [InlineData("Windows", "credential-manager")]
    public void Auto_UsesTheSystemsStore_WhenItAnswers(string system, string expected)
    {
        var os = Enum.Parse<KeyStoreOs>(system);
        var (store, reason) = Open(os, available: true);

        Assert.Equal(expected, store.Name);
        Assert.Null(reason);
        Assert.Equal(1, _opened);
    }

    [Theory]
    [InlineData("MacOS", "")]
    [InlineData("Windows", "auto")]
    [InlineData("Linux", " AUTO ")]
    public void WhenTheSystemsStoreCannotBeUsed_TheFileStore_IsUsed_AndSaysWhy(string system, string value)
    {
        var os = Enum.Parse<KeyStoreOs>(system);
        _env[KeyStores.StoreVariable] = value;

        var (store, reason) = Open(os, available: false);

        var file = Assert.IsType<FileKeyStore>(store);
        Assert.Equal(Path.Combine(_dir.Path, FileKeyStore.FileName), file.Location);
        Assert.Equal($"{KeyStores.SystemStoreName(os)} is locked", reason);
    }

    [Fact]
    public void OnAnOtherSystem_TheFileStore_IsUsed_WithoutAskingForASystemStore()
    {
        var (store, reason) = Open(KeyStoreOs.Other, available: true);

        Assert.IsType<FileKeyStore>(store);
        Assert.Equal("no secret store of this operating system is supported", reason);
        Assert.Equal(0, _opened);
    }

    [Theory]
    [InlineData("MacOS", "keychain")]
    [InlineData("Windows", "Credential-Manager")]
    [InlineData("Linux", "secret-service")]
    public void ForcingTheSystemsStore_UsesIt_OrFailsWithItsReason_NeverFallingBack(string system, string value)
    {
        var os = Enum.Parse<KeyStoreOs>(system);
        _env[KeyStores.StoreVariable] = value;

        var (store, reason) = Open(os, available: true);
        var error = Assert.Throws<SpecSynthException>(() => Open(os, available: false));

        Assert.Equal(value.ToLowerInvariant(), store.Name);
        Assert.Null(reason);
        Assert.Equal(ErrorKind.Auth, error.Kind);
        Assert.EndsWith($"cannot be used: {value.ToLowerInvariant()} is locked", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Linux", "keychain", "SPECSYNTH_KEY_STORE=keychain is the macOS Keychain, not available on Linux: use file, secret-service or auto")]
    [InlineData("Linux", "credential-manager", "SPECSYNTH_KEY_STORE=credential-manager is the Windows Credential Manager, not available on Linux: use file, secret-service or auto")]
    [InlineData("MacOS", "credential-manager", "SPECSYNTH_KEY_STORE=credential-manager is the Windows Credential Manager, not available on macOS: use file, keychain or auto")]
    [InlineData("Windows", "secret-service", "SPECSYNTH_KEY_STORE=secret-service is the Secret Service, not available on Windows: use file, credential-manager or auto")]
    [InlineData("Other", "keychain", "SPECSYNTH_KEY_STORE=keychain is the macOS Keychain, not available on this operating system: use file or auto")]
    public void ForcingAnotherSystemsStore_IsAnError_NamingTheValuesAllowedHere(string system, string value, string expected)
    {
        var os = Enum.Parse<KeyStoreOs>(system);
        _env[KeyStores.StoreVariable] = value;

        var error = Assert.Throws<SpecSynthException>(() => Open(os, available: true));

        Assert.Equal(ErrorKind.InvalidInput, error.Kind);
        Assert.Equal(expected, error.Message);
        Assert.Equal(0, _opened);
    }

    [Theory]
    [InlineData("MacOS")]
    [InlineData("Windows")]
    public void ForcingTheFile_IsHonouredEverywhere_WithoutTouchingTheSystemsStore(string system)
    {
        var os = Enum.Parse<KeyStoreOs>(system);
        _env[KeyStores.StoreVariable] = "file";

        var (store, reason) = Open(os, available: true);

        Assert.IsType<FileKeyStore>(store);
        Assert.Null(reason);
        Assert.Equal(0, _opened);
    }

    [Fact]
    public void OnThisMachine_TheCurrentSystem_IsLinux() =>
        Assert.Equal(OperatingSystem.IsLinux() ? KeyStoreOs.Linux : OperatingSystem.IsMacOS() ? KeyStoreOs.MacOS
            : OperatingSystem.IsWindows() ? KeyStoreOs.Windows : KeyStoreOs.Other, KeyStores.CurrentOs());

    private (IKeyStore Store, string? Reason) Open(KeyStoreOs os, bool available) =>
        KeyStores.Open(k => _env.GetValueOrDefault(k), os, () =>
        {
            _opened++;
            var name = KeyStores.SystemStoreName(os)!;
            return available ? (new InMemoryKeyStore(name), null) : (null, $"{name} is locked");
        });
}
