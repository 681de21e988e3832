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
/// A locked, unreadable or corrupt database never fails a call: the writer logs a clear error naming the file, keeps
/// the rows in memory (at most <see cref="KaitCostOptions.MaxBatchSize"/> in hand plus the queue) and retries every
/// <see cref="KaitCostOptions.FlushInterval"/> (timed by the <see cref="TimeProvider"/>). While the queue is full
/// <see cref="RecordAsync"/> waits for room (nothing is lost) and <see cref="TryRecord"/> refuses (counted in
/// <see cref="DroppedRows"/>). <see cref="DisposeAsync"/> writes what is left; if the database is still unusable
/// after three more attempts, the rows left are logged as lost.
/// </para>
/// </summary>
public sealed partial class LlmCostTracker : ILlmCostTracker, IAsyncDisposable, IDisposable
{
    private const int ShutdownAttempts = 3;

    /// <summary>How long the writer gathers rows when they arrive in a burst (a scheduling window on the real clock,
    /// not a domain time: it never delays a lone row).</summary>
    private static readonly TimeSpan CoalesceWindow = TimeSpan.FromMilliseconds(5);

    private readonly Channel<Entry> channel;
    private readonly KaitCostOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly CancellationTokenSource shutdown = new();
    private readonly Task writer;
    private long writtenRows;
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
    }

    /// <summary>The ledger file.</summary>
    public string DatabasePath { get; }

    /// <summary>Rows committed to the database by this tracker.</summary>
    public long WrittenRows => Interlocked.Read(ref writtenRows);

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

    /// <summary>Writes what is queued and stops the writer.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        channel.Writer.TryComplete();
        await shutdown.CancelAsync().ConfigureAwait(false);
        await writer.ConfigureAwait(false);
        shutdown.Dispose();
    }

    /// <summary>Writes what is queued and stops the writer, synchronously (for containers disposed with <c>using</c>).</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

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

        if (row.CostUsd is { } cost && (cost < 0m || cost > LedgerMoney.MaxRowCostUsd))
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

    private readonly record struct Entry(LlmCallRecord? Row, TaskCompletionSource? Flush);
}
