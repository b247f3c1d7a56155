using System.Runtime.InteropServices;

namespace SpecSynth.Providers.Keys;

/// <summary>
/// The keys in the freedesktop Secret Service (GNOME Keyring, KWallet) over D-Bus, through libsecret: one item per
/// provider, labelled <c>specsynth API key (PROVIDER)</c>, with the attributes <c>application = specsynth</c> and
/// <c>provider = PROVIDER</c> in the default collection. Linux only; <see cref="TryOpen"/> says why it cannot be used.
/// </summary>
internal sealed class SecretServiceKeyStore : IKeyStore
{
    private const string SchemaName = "dev.specsynth.ApiKey";
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);
    private static readonly Lazy<IntPtr> Schema = new(CreateSchema);
    private readonly IntPtr strHash;
    private readonly IntPtr strEqual;

    private SecretServiceKeyStore(IntPtr glib)
    {
        strHash = NativeLibrary.GetExport(glib, "g_str_hash");
        strEqual = NativeLibrary.GetExport(glib, "g_str_equal");
    }

    public string Name => "secret-service";

    public string Location => "Secret Service (D-Bus org.freedesktop.secrets), default collection, attributes application=specsynth provider=NAME";

    /// <summary>The store, or <c>null</c> with the reason: not Linux, no D-Bus session, no libsecret, or no Secret Service answering.</summary>
    /// <param name="getEnv">Reads an environment variable (<c>DBUS_SESSION_BUS_ADDRESS</c>).</param>
    public static (SecretServiceKeyStore? Store, string? Reason) TryOpen(Func<string, string?> getEnv)
    {
        if (!OperatingSystem.IsLinux())
        {
            return (null, "not Linux");
        }
        if (string.IsNullOrEmpty(getEnv("DBUS_SESSION_BUS_ADDRESS")))
        {
            return (null, "no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set)");
        }
        if (!NativeLibrary.TryLoad(LibSecretNativeMethods.LibSecret, out _)
            || !NativeLibrary.TryLoad(LibSecretNativeMethods.LibGlib, out var glib))
        {
            return (null, $"{LibSecretNativeMethods.LibSecret} is not installed");
        }
        var store = new SecretServiceKeyStore(glib);
        try
        {
            store.Get("claude");
            return (store, null);
        }
        catch (SpecSynthException ex)
        {
            return (null, ex.Message);
        }
    }

    public string? Get(string provider) => Call(provider, "read", attributes =>
    {
        var found = LibSecretNativeMethods.secret_password_lookupv_sync(Schema.Value, attributes, IntPtr.Zero, out var error);
        ThrowOnError(error, "read");
        if (found == IntPtr.Zero)
        {
            return null;
        }
        try
        {
            return Marshal.PtrToStringUTF8(found);
        }
        finally
        {
            LibSecretNativeMethods.secret_password_free(found);
        }
    });

    public void Set(string provider, string key)
    {
        var label = Marshal.StringToCoTaskMemUTF8($"specsynth API key ({provider})");
        var password = Marshal.StringToCoTaskMemUTF8(key);
        try
        {
            Call(provider, "store", attributes =>
            {
                LibSecretNativeMethods.secret_password_storev_sync(Schema.Value, attributes, IntPtr.Zero, label, password, IntPtr.Zero, out var error);
                ThrowOnError(error, "store");
                return "";
            });
        }
        finally
        {
            Marshal.ZeroFreeCoTaskMemUTF8(password);
            Marshal.FreeCoTaskMem(label);
        }
    }

    public bool Remove(string provider) => Call(provider, "remove", attributes =>
    {
        var removed = LibSecretNativeMethods.secret_password_clearv_sync(Schema.Value, attributes, IntPtr.Zero, out var error);
        ThrowOnError(error, "remove");
        return removed != 0 ? "" : null;
    }) is not null;

    /// <summary>Runs one libsecret call with the provider's attributes, on a worker so a Secret Service that never answers
    /// (a prompt nobody sees) costs <see cref="CallTimeout"/>, not the run.</summary>
    private string? Call(string provider, string what, Func<IntPtr, string?> call)
    {
        var task = Task.Run(() =>
        {
            var strings = new[] { "application", "specsynth", "provider", provider }.Select(Marshal.StringToCoTaskMemUTF8).ToArray();
            var table = LibSecretNativeMethods.g_hash_table_new(strHash, strEqual);
            try
            {
                LibSecretNativeMethods.g_hash_table_insert(table, strings[0], strings[1]);
                LibSecretNativeMethods.g_hash_table_insert(table, strings[2], strings[3]);
                return call(table);
            }
            finally
            {
                LibSecretNativeMethods.g_hash_table_unref(table);
                foreach (var s in strings)
                {
                    Marshal.FreeCoTaskMem(s);
                }
            }
        });
        if (!task.Wait(CallTimeout))
        {
            throw new SpecSynthException(ErrorKind.Auth,
                $"the Secret Service did not answer within {CallTimeout.TotalSeconds:0} s ({what} the key of {provider}); is the keyring locked?");
        }
        return task.GetAwaiter().GetResult();
    }

    private static void ThrowOnError(IntPtr error, string what)
    {
        if (error == IntPtr.Zero)
        {
            return;
        }
        // GError: guint32 domain; gint code; gchar *message.
        var message = Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(error, 8)) ?? "unknown error";
        LibSecretNativeMethods.g_error_free(error);
        throw new SpecSynthException(ErrorKind.Auth, $"the Secret Service could not {what} the key: {message}");
    }

    /// <summary>A <c>SecretSchema</c> for the process's lifetime: name, flags, 32 (name, type) attributes, then reserved fields.</summary>
    private static IntPtr CreateSchema()
    {
        var size = (IntPtr.Size * 2) + (32 * IntPtr.Size * 2) + (IntPtr.Size * 8);
        var schema = Marshal.AllocHGlobal(size);
        for (var i = 0; i < size; i++)
        {
            Marshal.WriteByte(schema, i, 0);
        }
        Marshal.WriteIntPtr(schema, 0, Marshal.StringToCoTaskMemUTF8(SchemaName));
        // flags = SECRET_SCHEMA_NONE (0); attributes of type SECRET_SCHEMA_ATTRIBUTE_STRING (0), the list ends with a null name.
        Marshal.WriteIntPtr(schema, IntPtr.Size * 2, Marshal.StringToCoTaskMemUTF8("application"));
        Marshal.WriteIntPtr(schema, IntPtr.Size * 4, Marshal.StringToCoTaskMemUTF8("provider"));
        return schema;
    }
}
