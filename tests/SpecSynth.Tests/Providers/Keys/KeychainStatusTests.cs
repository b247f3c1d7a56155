using SpecSynth.Providers.Keys;

namespace SpecSynth.Tests.Providers.Keys;

/// <summary>What the Keychain store says about Security.framework's status codes (the calls themselves run only on macOS
/// and are not tested here).</summary>
public sealed class KeychainStatusTests
{
    [Fact]
    public void TheCodesTheStoreTellsApart_AreSecurityFrameworks() =>
        Assert.Equal((0, -25300, -25299), (KeychainStatus.Success, KeychainStatus.ItemNotFound, KeychainStatus.DuplicateItem));

    [Fact]
    public void ALockedKeychainOverSsh_SaysWhatToDo() =>
        Assert.Equal("the Keychain cannot ask for permission here, e.g. in an SSH session (errSecInteractionNotAllowed, -25308); "
            + "run 'security unlock-keychain' first or set SPECSYNTH_KEY_STORE=file", KeychainStatus.Describe(-25308));

    [Fact]
    public void AnUnknownStatus_IsNamedByNumber_WithTheCommandThatExplainsIt() =>
        Assert.Equal("OSStatus -67701 (see 'security error -67701')", KeychainStatus.Describe(-67701));
}
