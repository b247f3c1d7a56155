using System.Runtime.InteropServices;

namespace SpecSynth.Providers.Keys;

/// <summary>The few functions of libsecret and GLib the Secret Service store calls (Linux only).</summary>
internal static class LibSecretNativeMethods
{
    public const string LibSecret = "libsecret-1.so.0";
    public const string LibGlib = "libglib-2.0.so.0";

    [DllImport(LibSecret, CallingConvention = CallingConvention.Cdecl)]
    public static extern int secret_password_storev_sync(IntPtr schema, IntPtr attributes, IntPtr collection, IntPtr label,
        IntPtr password, IntPtr cancellable, out IntPtr error);

    [DllImport(LibSecret, CallingConvention = CallingConvention.Cdecl)]
    public static extern IntPtr secret_password_lookupv_sync(IntPtr schema, IntPtr attributes, IntPtr cancellable, out IntPtr error);

    [DllImport(LibSecret, CallingConvention = CallingConvention.Cdecl)]
    public static extern int secret_password_clearv_sync(IntPtr schema, IntPtr attributes, IntPtr cancellable, out IntPtr error);

    [DllImport(LibSecret, CallingConvention = CallingConvention.Cdecl)]
    public static extern void secret_password_free(IntPtr password);

    [DllImport(LibGlib, CallingConvention = CallingConvention.Cdecl)]
    public static extern IntPtr g_hash_table_new(IntPtr hashFunc, IntPtr equalFunc);

    [DllImport(LibGlib, CallingConvention = CallingConvention.Cdecl)]
    public static extern int g_hash_table_insert(IntPtr table, IntPtr key, IntPtr value);

    [DllImport(LibGlib, CallingConvention = CallingConvention.Cdecl)]
    public static extern void g_hash_table_unref(IntPtr table);

    [DllImport(LibGlib, CallingConvention = CallingConvention.Cdecl)]
    public static extern void g_error_free(IntPtr error);
}
