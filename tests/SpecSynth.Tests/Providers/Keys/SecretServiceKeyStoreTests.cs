using SpecSynth.Providers.Keys;

namespace SpecSynth.Tests.Providers.Keys;

/// <summary>
/// The Secret Service store against whatever this machine's D-Bus session offers. CI runs these inside
/// <c>dbus-run-session</c> with an unlocked <c>gnome-keyring-daemon</c> and <c>SPECSYNTH_TEST_SECRET_SERVICE=1</c>, which
/// makes a missing Secret Service a failure; elsewhere (no session) they assert the fallback to the file store instead.
/// </summary>
[Trait("Category", "SecretService")]
public sealed class SecretServiceKeyStoreTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static bool Required => Environment.GetEnvironmentVariable("SPECSYNTH_TEST_SECRET_SERVICE") == "1";

    [Fact]
    public void StoresReadsAndRemovesAKey_OrFallsBackToTheFileStore_SayingWhy()
    {
        var (service, reason) = SecretServiceKeyStore.TryOpen(Environment.GetEnvironmentVariable);
        Assert.False(Required && service is null, $"SPECSYNTH_TEST_SECRET_SERVICE=1 but the Secret Service cannot be used: {reason}");
        var env = new Dictionary<string, string> { ["SPECSYNTH_HOME"] = _dir.Path };
        if (Environment.GetEnvironmentVariable("DBUS_SESSION_BUS_ADDRESS") is { } bus)
        {
            env["DBUS_SESSION_BUS_ADDRESS"] = bus;
        }
        var (picked, why) = KeyStores.Open(k => env.GetValueOrDefault(k));
        if (service is null)
        {
            Assert.IsType<FileKeyStore>(picked);
            Assert.Equal(reason, why);
            return;
        }

        Assert.IsType<SecretServiceKeyStore>(picked);
        Assert.Null(why);
        var provider = "specsynth-test-" + Guid.NewGuid().ToString("N")[..8];
        var key = "sk-test-" + Guid.NewGuid().ToString("N");
        Assert.Null(service.Get(provider));
        service.Set(provider, key);
        Assert.Equal(key, service.Get(provider));
        service.Set(provider, key + "-rotated");
        Assert.Equal(key + "-rotated", service.Get(provider));
        Assert.True(service.Remove(provider));
        Assert.Null(service.Get(provider));
        Assert.False(service.Remove(provider));
        Assert.False(File.Exists(Path.Combine(_dir.Path, FileKeyStore.FileName)));
    }
}
