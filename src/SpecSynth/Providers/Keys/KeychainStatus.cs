namespace SpecSynth.Providers.Keys;

/// <summary>The Keychain's <c>OSStatus</c> codes the Keychain store tells apart, and what to say about the others.</summary>
internal static class KeychainStatus
{
    /// <summary><c>errSecSuccess</c>.</summary>
    public const int Success = 0;

    /// <summary><c>errSecItemNotFound</c>: no such item (no key stored).</summary>
    public const int ItemNotFound = -25300;

    /// <summary><c>errSecDuplicateItem</c>.</summary>
    public const int DuplicateItem = -25299;

    /// <summary>The status as a message: its name, number and (for the usual ones) what to do.</summary>
    public static string Describe(int status) => status switch
    {
        -128 => "the Keychain prompt was cancelled (errSecUserCanceled, -128)",
        -25293 => "the Keychain refused access (errSecAuthFailed, -25293); allow specsynth in the prompt or in Keychain Access",
        DuplicateItem => "the item already exists (errSecDuplicateItem, -25299)",
        ItemNotFound => "no such item (errSecItemNotFound, -25300)",
        -25307 => "there is no default keychain (errSecNoDefaultKeychain, -25307)",
        -25308 => "the Keychain cannot ask for permission here, e.g. in an SSH session (errSecInteractionNotAllowed, -25308); "
            + "run 'security unlock-keychain' first or set SPECSYNTH_KEY_STORE=file",
        -25291 => "no Keychain is available (errSecNotAvailable, -25291)",
        _ => $"OSStatus {status} (see 'security error {status}')",
    };
}
