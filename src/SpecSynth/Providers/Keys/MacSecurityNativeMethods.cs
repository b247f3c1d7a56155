using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace SpecSynth.Providers.Keys;

/// <summary>The few functions of Security.framework (Keychain generic passwords) and CoreFoundation the Keychain store
/// calls (macOS only). Each returns an <c>OSStatus</c>: 0 on success (see <see cref="KeychainStatus"/>).</summary>
[SupportedOSPlatform("macos")]
internal static partial class MacSecurityNativeMethods
{
    public const string Security = "/System/Library/Frameworks/Security.framework/Security";
    public const string CoreFoundation = "/System/Library/Frameworks/CoreFoundation.framework/CoreFoundation";

    /// <summary>Adds a generic password to the default keychain; <paramref name="itemRef"/> is <c>IntPtr.Zero</c> (not wanted).</summary>
    [LibraryImport(Security)]
    public static partial int SecKeychainAddGenericPassword(IntPtr keychain, uint serviceNameLength, byte[] serviceName,
        uint accountNameLength, byte[] accountName, uint passwordLength, byte[] passwordData, IntPtr itemRef);

    /// <summary>Finds a generic password and reads its data (free it with <see cref="SecKeychainItemFreeContent"/>);
    /// <paramref name="itemRef"/> is <c>IntPtr.Zero</c> (not wanted).</summary>
    [LibraryImport(Security, EntryPoint = "SecKeychainFindGenericPassword")]
    public static partial int SecKeychainFindGenericPasswordData(IntPtr keychainOrArray, uint serviceNameLength, byte[] serviceName,
        uint accountNameLength, byte[] accountName, out uint passwordLength, out IntPtr passwordData, IntPtr itemRef);

    /// <summary>Finds a generic password's item without reading its data (release it with <see cref="CFRelease"/>).</summary>
    [LibraryImport(Security, EntryPoint = "SecKeychainFindGenericPassword")]
    public static partial int SecKeychainFindGenericPasswordItem(IntPtr keychainOrArray, uint serviceNameLength, byte[] serviceName,
        uint accountNameLength, byte[] accountName, IntPtr passwordLength, IntPtr passwordData, out IntPtr itemRef);

    /// <summary>Replaces an item's data; <paramref name="attrList"/> is <c>IntPtr.Zero</c> (attributes unchanged).</summary>
    [LibraryImport(Security)]
    public static partial int SecKeychainItemModifyAttributesAndData(IntPtr itemRef, IntPtr attrList, uint length, byte[] data);

    [LibraryImport(Security)]
    public static partial int SecKeychainItemDelete(IntPtr itemRef);

    [LibraryImport(Security)]
    public static partial int SecKeychainItemFreeContent(IntPtr attrList, IntPtr data);

    [LibraryImport(CoreFoundation)]
    public static partial void CFRelease(IntPtr cf);
}
