using System.Diagnostics;
using System.Threading.Channels;
using Kait.Sdk.Costs.Ledger;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Kait.Sdk.Costs;

/// <summary>
/// Records one ledger row per LLM call (cache hits with cost 0, failures with their status) to SQLite, off the hot path.
/// <para>
/// <see cref="RecordAsync"/> puts the row on a bounded in-memory queue (<see cref="KaitCostOptions.QueueCapacity"/>)
/// and returns; one background writer commits whatever is queued, up to <see cref="KaitCostOptions.MaxBatchSize"/>
/// rows and their daily rollup per transaction, as soon as it is free, so a row is on disk within milliseconds
/// and always within <see cref="KaitCostOptions.FlushInterval"/> while the database can be written.
/// </para>
/// <para>
/// A locked or unreadable database never fails a call: the writer logs a clear error naming the file, keeps the rows
/// in memory (at most <see cref="KaitCostOptions.MaxBatchSize"/> in hand plus the queue) and retries every
/// <see cref="KaitCostOptions.FlushInterval"/> (timed by the <see cref="TimeProvider"/>). While the queue is full
/// <see cref="RecordAsync"/> waits for room (nothing is lost) and <see cref="TryRecord"/> refuses (counted in
/// <see cref="DroppedRows"/>). A <b>corrupt</b> file (SQLite's <c>SQLITE_CORRUPT</c> or <c>SQLITE_NOTADB</c>, confirmed
/// by a second look) is not retried: it is moved aside to <c>llm_costs.db.corrupt-&lt;UTC time&gt;</c> (its <c>-wal</c>
/// and <c>-shm</c> with it), an error naming both files is logged, and the waiting rows go into a fresh ledger; budgets
/// then treat the spend before that moment as unknown (<see cref="BudgetGuard"/>).
/// </para>
/// <para>
/// <see cref="DisposeAsync"/> writes what is left; if the database is still unusable after three more attempts, the
/// rows left are logged as lost. The same happens when the process exits without disposing the tracker
/// (<see cref="AppDomain.ProcessExit"/>: a return from <c>Main</c>, <c>Environment.Exit</c>, SIGTERM), waiting at most
/// 5 seconds.
/// </para>
/// </summary>
internal sealed partial class LlmCostTracker : ILlmCostTracker, IAsyncDisposable, IDisposable
{
    private const int ShutdownAttempts = 3;

    /// <summary>The longest the process-exit handler waits for queued rows to be written (three attempts on a locked
    /// database take three busy timeouts).</summary>
    internal static readonly TimeSpan ProcessExitFlushTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How long the writer gathers rows when they arrive in a burst (a scheduling window on the real clock,
    /// not a domain time: it never delays a lone row).</summary>
    private static readonly TimeSpan CoalesceWindow = TimeSpan.FromMilliseconds(5);

    private readonly Channel<Entry> channel;
    private readonly KaitCostOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly CancellationTokenSource shutdown = new();
    private readonly Task writer;
    private readonly Lazy<Task> disposal;
    private long writtenRows;
    private long writtenPico;
    private long pendingRows;
    private long droppedRows;
    private int disposed;

    /// <summary>Creates the tracker and starts its writer. The database is opened (created, migrated) on the first write.</summary>
    /// <param name="options">Database path, queue bound, batch size, flush interval.</param>
    /// <param name="timeProvider">Times retries; <see cref="TimeProvider.System"/> by default.</param>
    /// <param name="logger">Logs database errors and recoveries.</param>
    public LlmCostTracker(IOptions<KaitCostOptions> options, TimeProvider? timeProvider = null, ILogger<LlmCostTracker>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        ArgumentOutOfRangeException.ThrowIfLessThan(this.options.QueueCapacity, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(this.options.MaxBatchSize, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(this.options.FlushInterval, TimeSpan.Zero, nameof(options));
        this.timeProvider = timeProvider ?? TimeProvider.System;
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
        DatabasePath = this.options.ResolveDatabasePath();
        channel = Channel.CreateBounded<Entry>(new BoundedChannelOptions(this.options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        writer = Task.Run(RunWriterAsync);
        disposal = new Lazy<Task>(DisposeCoreAsync, LazyThreadSafetyMode.ExecutionAndPublication);
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>The ledger file.</summary>
    public string DatabasePath { get; }

    /// <summary>Rows committed to the database by this tracker.</summary>
    public long WrittenRows => Interlocked.Read(ref writtenRows);

    /// <summary>The cost of the rows committed by this tracker, in USD (what <see cref="BudgetGuard"/> subtracts from this
    /// process's settled spend to know what the ledger does not hold yet).</summary>
    internal decimal WrittenCostUsd => LedgerMoney.FromPico(Interlocked.Read(ref writtenPico));

    /// <summary>Rows recorded but not yet committed (queued or waiting for a retry).</summary>
    public long PendingRows => Interlocked.Read(ref pendingRows);

    /// <summary>Rows lost: refused by <see cref="TryRecord"/> on a full queue, recorded after disposal, or still
    /// unwritten when disposal gave up on an unusable database. Each loss is logged.</summary>
    public long DroppedRows => Interlocked.Read(ref droppedRows);

    /// <summary>Queues a row. Returns at once unless the queue is full (the database has been unusable for a while),
    /// in which case it waits for room. Never throws for a database problem.</summary>
    /// <param name="row">The call.</param>
    /// <param name="cancellationToken">Stops waiting for room; the row is then not recorded.</param>
    public ValueTask RecordAsync(LlmCallRecord row, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        var entry = new Entry(Normalize(row), null);
        if (channel.Writer.TryWrite(entry))
        {
            Interlocked.Increment(ref pendingRows);
            return ValueTask.CompletedTask;
        }

        return RecordSlowAsync(entry, cancellationToken);
    }

    /// <summary>Queues a row without waiting; false (and logged, and counted in <see cref="DroppedRows"/>) when the queue is full.</summary>
    /// <param name="row">The call.</param>
    public bool TryRecord(LlmCallRecord row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (channel.Writer.TryWrite(new Entry(Normalize(row), null)))
        {
            Interlocked.Increment(ref pendingRows);
            return true;
        }

        Drop(1, Volatile.Read(ref disposed) != 0 ? "the tracker is disposed" : "the queue is full");
        return false;
    }

    /// <summary>Completes when every row recorded before the call is committed. While the database is unusable it
    /// waits (the writer retries); use <paramref name="cancellationToken"/> to bound the wait.</summary>
    /// <param name="cancellationToken">Stops waiting (the rows stay queued).</param>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await channel.Writer.WriteAsync(new Entry(null, done), cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            await writer.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes what is queued and stops the writer. Every call, the first and any concurrent or later one,
    /// completes once the writer has stopped.</summary>
    public ValueTask DisposeAsync() => new(disposal.Value);

    /// <summary>Writes what is queued and stops the writer, synchronously (for containers disposed with <c>using</c>).</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>What the process-exit handler does: writes what is queued, as disposal does, waiting at most
    /// <paramref name="timeout"/>; false (and logged) when rows were still unwritten then.</summary>
    /// <param name="timeout">The longest wait.</param>
    internal bool FlushAtExit(TimeSpan timeout)
    {
        try
        {
            if (disposal.Value.Wait(timeout))
            {
                return true;
            }
        }
        catch (AggregateException)
        {
            // The writer failed: what it could not write is counted below; an exit handler must not throw.
        }

        LogExitFlushIncomplete(logger, PendingRows, DatabasePath, timeout.TotalSeconds);
        return false;
    }

    private void OnProcessExit(object? sender, EventArgs e) => FlushAtExit(ProcessExitFlushTimeout);

    private async Task DisposeCoreAsync()
    {
        Volatile.Write(ref disposed, 1);
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        channel.Writer.TryComplete();
        await shutdown.CancelAsync().ConfigureAwait(false);
        await writer.ConfigureAwait(false);
        shutdown.Dispose();
    }

    private async ValueTask RecordSlowAsync(Entry entry, CancellationToken cancellationToken)
    {
        try
        {
            await channel.Writer.WriteAsync(entry, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref pendingRows);
        }
        catch (ChannelClosedException)
        {
            Drop(1, "the tracker is disposed");
        }
    }

    private LlmCallRecord Normalize(LlmCallRecord row)
    {
        if (row.Alias is null)
        {
            row = row with { Alias = string.Empty }; // a null would fail its whole batch at the NOT NULL column
        }

        if (row.CacheHit)
        {
            return row.CostSource == CostSource.Cache && row.CostUsd == 0m ? row : row with { CostUsd = 0m, CostSource = CostSource.Cache };
        }

        if (row.CostUsd is { } cost && !CostSanity.IsPlausible(cost))
        {
            LogImplausibleCost(logger, row.Alias, cost);
            return row with { CostUsd = null, CostSource = CostSource.Unknown };
        }

        return row.CostUsd is null && row.CostSource != CostSource.Unknown ? row with { CostSource = CostSource.Unknown } : row;
    }

    private void Drop(long count, string reason)
    {
        Interlocked.Add(ref droppedRows, count);
        LogDropped(logger, count, DatabasePath, reason);
    }

    private async Task RunWriterAsync()
    {
        var reader = channel.Reader;
        var batch = new List<LlmCallRecord>(Math.Min(options.MaxBatchSize, 4096));
        var flushes = new List<TaskCompletionSource>();
        LedgerWriter? ledger = null;
        string? failure = null;
        var justQuarantined = false;
        var attemptsSinceShutdown = 0;
        var lastWrite = 0L;
        try
        {
            while (true)
            {
                if (batch.Count == 0 && flushes.Count == 0)
                {
                    if (!await reader.WaitToReadAsync().ConfigureAwait(false))
                    {
                        return;
                    }

                    // In a burst (the last write was moments ago) gather rows for a moment: one transaction for many
                    // rows instead of one each, so a busy caller does not pay for the writer's commits. A lone row
                    // is written at once.
                    var sinceWrite = Stopwatch.GetElapsedTime(lastWrite);
                    if (sinceWrite < CoalesceWindow && failure is null && !shutdown.IsCancellationRequested && reader.Count < options.MaxBatchSize)
                    {
                        try
                        {
                            await Task.Delay(CoalesceWindow - sinceWrite, shutdown.Token).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException)
                        {
                            // Disposal: write at once.
                        }
                    }
                }

                while (batch.Count < options.MaxBatchSize && reader.TryRead(out var entry))
                {
                    if (entry.Row is { } row)
                    {
                        batch.Add(row);
                    }
                    else
                    {
                        flushes.Add(entry.Flush!);
                    }
                }

                try
                {
                    ledger ??= LedgerWriter.Open(DatabasePath, options.BusyTimeoutSeconds);
                    ledger.Write(batch);
                }
#pragma warning disable CA1031 // The writer must outlive any database error: it logs, keeps the rows and retries.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    ledger?.Dispose();
                    ledger = null;
                    if (!justQuarantined && LedgerDatabase.IsCorruption(ex) && TryQuarantine(ex))
                    {
                        // Not retried as it is: moved aside, and the rows go into a fresh ledger at once.
                        justQuarantined = true;
                        failure = null;
                        continue;
                    }

                    justQuarantined = false;
                    if (!string.Equals(failure, ex.Message, StringComparison.Ordinal))
                    {
                        LogWriteFailed(logger, DatabasePath, ex.Message, batch.Count + reader.Count, options.FlushInterval.TotalMilliseconds, ex);
                    }
                    else
                    {
                        LogWriteStillFailing(logger, DatabasePath, ex.Message);
                    }

                    failure = ex.Message;
                    if (shutdown.IsCancellationRequested)
                    {
                        if (++attemptsSinceShutdown >= ShutdownAttempts)
                        {
                            GiveUp(batch, flushes, reader);
                            return;
                        }

                        continue;
                    }

                    try
                    {
                        await Task.Delay(options.FlushInterval, timeProvider, shutdown.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        // Disposal: retry at once.
                    }

                    continue;
                }

                lastWrite = Stopwatch.GetTimestamp();
                justQuarantined = false;
                // After the commit: a reader of the ledger that then reads this sees the rows at most twice, never zero times.
                var batchPico = 0L;
                foreach (var written in batch)
                {
                    batchPico += written.CostUsd is { } usd ? LedgerMoney.ToPico(usd) : 0L;
                }

                Interlocked.Add(ref writtenPico, batchPico);
                Interlocked.Add(ref writtenRows, batch.Count);
                Interlocked.Add(ref pendingRows, -batch.Count);
                if (failure is not null)
                {
                    LogRecovered(logger, DatabasePath, batch.Count);
                    failure = null;
                }

                batch.Clear();
                foreach (var flush in flushes)
                {
                    flush.TrySetResult();
                }

                flushes.Clear();
            }
        }
        finally
        {
            ledger?.Dispose();
        }
    }

    /// <summary>Moves a corrupt ledger aside, once a second look confirms it is corrupt; false (logged) when it is not
    /// (any more) or cannot be moved, and the writer retries as for any other failure.</summary>
    private bool TryQuarantine(Exception error)
    {
        try
        {
            if (!LedgerDatabase.IsCorrupt(DatabasePath, options.BusyTimeoutSeconds))
            {
                return false;
            }

            var moved = LedgerQuarantine.MoveAside(DatabasePath, timeProvider.GetUtcNow());
            LogQuarantined(logger, DatabasePath, error.Message, moved);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogQuarantineFailed(logger, DatabasePath, error.Message, ex.Message, ex);
            return false;
        }
    }

    private void GiveUp(List<LlmCallRecord> batch, List<TaskCompletionSource> flushes, ChannelReader<Entry> reader)
    {
        long lost = batch.Count;
        while (reader.TryRead(out var entry))
        {
            if (entry.Row is not null)
            {
                lost++;
            }
            else
            {
                flushes.Add(entry.Flush!);
            }
        }

        Interlocked.Add(ref pendingRows, -lost);
        Drop(lost, "the database stayed unusable through disposal");
        var error = new KaitException($"{lost} cost ledger rows could not be written to '{DatabasePath}'.");
        foreach (var flush in flushes)
        {
            flush.TrySetException(error);
        }
    }

    [LoggerMessage(EventId = 4110, Level = LogLevel.Error, Message = "The cost ledger '{Path}' cannot be written: {Reason}. {Rows} rows wait in memory and are retried every {RetryMs} ms; LLM calls are not affected.")]
    private static partial void LogWriteFailed(ILogger logger, string path, string reason, long rows, double retryMs, Exception exception);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Debug, Message = "The cost ledger '{Path}' still cannot be written: {Reason}.")]
    private static partial void LogWriteStillFailing(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 4112, Level = LogLevel.Information, Message = "The cost ledger '{Path}' is writable again; {Rows} waiting rows written.")]
    private static partial void LogRecovered(ILogger logger, string path, int rows);

    [LoggerMessage(EventId = 4113, Level = LogLevel.Error, Message = "{Rows} cost ledger rows for '{Path}' were lost: {Reason}.")]
    private static partial void LogDropped(ILogger logger, long rows, string path, string reason);

    [LoggerMessage(EventId = 4114, Level = LogLevel.Warning, Message = "A call of alias '{Alias}' reported an implausible cost ({Cost} USD); it is recorded as unknown.")]
    private static partial void LogImplausibleCost(ILogger logger, string alias, decimal cost);

    [LoggerMessage(EventId = 4115, Level = LogLevel.Error, Message = "The cost ledger '{Path}' is corrupt ({Reason}): it was moved to '{MovedTo}' and a new ledger started there; waiting rows go into the new one. Budgets count the spend before now as unknown until that file is dealt with.")]
    private static partial void LogQuarantined(ILogger logger, string path, string reason, string movedTo);

    [LoggerMessage(EventId = 4116, Level = LogLevel.Error, Message = "The cost ledger '{Path}' is corrupt ({Reason}) but could not be moved aside: {MoveError}. Rows wait in memory and are retried.")]
    private static partial void LogQuarantineFailed(ILogger logger, string path, string reason, string moveError, Exception exception);

    [LoggerMessage(EventId = 4117, Level = LogLevel.Error, Message = "The process is exiting with {Rows} cost ledger rows for '{Path}' still unwritten after {Seconds} s; they are lost.")]
    private static partial void LogExitFlushIncomplete(ILogger logger, long rows, string path, double seconds);

    private readonly record struct Entry(LlmCallRecord? Row, TaskCompletionSource? Flush);
}
