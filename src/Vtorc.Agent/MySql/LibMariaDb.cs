using System.Reflection;
using System.Runtime.InteropServices;

namespace Vtorc.Agent.MySql;

/// <summary>
/// P/Invoke declarations for MariaDB Connector/C (Debian's libmariadb3). Only the plain C API is used; every
/// call here may block on the network and must run off the caller's thread (see <see cref="MySqlConnection"/>).
/// C <c>unsigned long</c> is <see cref="CULong"/> so the declarations stay right on any LP64/LLP64 platform.
/// </summary>
internal static unsafe partial class LibMariaDb
{
    internal const string LibraryName = "libmariadb.so.3";

    /// <summary>CLIENT_MULTI_STATEMENTS: several statements separated by ';' in one query.</summary>
    internal const ulong ClientMultiStatements = 1UL << 16;

    /// <summary>CLIENT_MULTI_RESULTS: needed for CALL and multi-statement result sets.</summary>
    internal const ulong ClientMultiResults = 1UL << 17;

    internal const uint ProtocolTcp = 1;
    internal const uint ProtocolSocket = 2;

    // Other names the same library has on other distributions (or with a -dev package installed).
    private static readonly string[] FallbackNames =
        ["libmariadb.so", "libmariadb", "/usr/lib/x86_64-linux-gnu/libmariadb.so.3", "/usr/lib64/libmariadb.so.3"];

    private static readonly Lock InitLock = new();
    private static bool _initialised;

    static LibMariaDb()
    {
        NativeLibrary.SetDllImportResolver(typeof(LibMariaDb).Assembly, Resolve);
    }

    /// <summary>
    /// mysql_library_init is not thread-safe; mysql_init calls it lazily, so two first connections opened at
    /// once could race. Doing it once here, under a lock, before any mysql_init removes the race.
    /// </summary>
    internal static void EnsureInitialised()
    {
        if (Volatile.Read(ref _initialised))
        {
            return;
        }
        lock (InitLock)
        {
            if (_initialised)
            {
                return;
            }
            int rc;
            try
            {
                rc = mysql_server_init(0, null, null);
            }
            catch (DllNotFoundException e)
            {
                throw new DllNotFoundException(
                    $"MariaDB Connector/C (\"{LibraryName}\") could not be loaded; install Debian's libmariadb3 package", e);
            }
            if (rc != 0)
            {
                throw new InvalidOperationException($"mysql_library_init failed with code {rc}");
            }
            Volatile.Write(ref _initialised, true);
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != LibraryName)
        {
            return IntPtr.Zero;
        }
        if (NativeLibrary.TryLoad(libraryName, assembly, searchPath, out var handle))
        {
            return handle;
        }
        foreach (var name in FallbackNames)
        {
            if (NativeLibrary.TryLoad(name, assembly, searchPath, out handle))
            {
                return handle;
            }
        }
        return IntPtr.Zero;
    }

    internal static string? Utf8String(byte* text) => text is null ? null : Marshal.PtrToStringUTF8((IntPtr)text);

    [LibraryImport(LibraryName)]
    internal static partial int mysql_server_init(int argc, byte** argv, byte** groups);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mysql_init(IntPtr mysql);

    [LibraryImport(LibraryName)]
    internal static partial int mysql_options(IntPtr mysql, MySqlOption option, void* arg);

    [LibraryImport(LibraryName)]
    internal static partial int mysql_get_option(IntPtr mysql, MySqlOption option, void* arg);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr mysql_real_connect(
        IntPtr mysql, string? host, string? user, string? password, string? database, uint port, string? unixSocket, CULong clientFlags);

    [LibraryImport(LibraryName)]
    internal static partial int mysql_real_query(IntPtr mysql, byte* query, CULong length);

    [LibraryImport(LibraryName)]
    internal static partial IntPtr mysql_store_result(IntPtr mysql);

    [LibraryImport(LibraryName)]
    internal static partial uint mysql_field_count(IntPtr mysql);

    [LibraryImport(LibraryName)]
    internal static partial uint mysql_num_fields(IntPtr result);

    /// <summary>Returns a MYSQL_FIELD*; its first member is <c>char *name</c>, the only one read.</summary>
    [LibraryImport(LibraryName)]
    internal static partial byte*** mysql_fetch_field_direct(IntPtr result, uint fieldIndex);

    /// <summary>Returns a MYSQL_ROW (char**); null when there are no more rows.</summary>
    [LibraryImport(LibraryName)]
    internal static partial byte** mysql_fetch_row(IntPtr result);

    [LibraryImport(LibraryName)]
    internal static partial CULong* mysql_fetch_lengths(IntPtr result);

    [LibraryImport(LibraryName)]
    internal static partial void mysql_free_result(IntPtr result);

    /// <summary>0: another result follows; -1: no more results; &gt;0: error.</summary>
    [LibraryImport(LibraryName)]
    internal static partial int mysql_next_result(IntPtr mysql);

    [LibraryImport(LibraryName)]
    internal static partial ulong mysql_affected_rows(IntPtr mysql);

    [LibraryImport(LibraryName)]
    internal static partial ulong mysql_insert_id(IntPtr mysql);

    [LibraryImport(LibraryName)]
    internal static partial uint mysql_errno(IntPtr mysql);

    [LibraryImport(LibraryName)]
    internal static partial byte* mysql_error(IntPtr mysql);

    [LibraryImport(LibraryName)]
    internal static partial byte* mysql_sqlstate(IntPtr mysql);

    [LibraryImport(LibraryName)]
    internal static partial void mysql_close(IntPtr mysql);

    [LibraryImport(LibraryName)]
    internal static partial byte* mysql_get_server_info(IntPtr mysql);

    [LibraryImport(LibraryName)]
    internal static partial CULong mysql_thread_id(IntPtr mysql);

    [LibraryImport(LibraryName)]
    internal static partial int mysql_ping(IntPtr mysql);

    /// <summary>Escapes for use inside '…' or "…" according to the connection's charset and sql_mode.</summary>
    [LibraryImport(LibraryName)]
    internal static partial CULong mysql_real_escape_string(IntPtr mysql, byte* to, byte* from, CULong length);
}
