package dev.ztjvm.netty;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.ServerSocketChannelConfig;
import java.util.Map;

/** Options of a {@link ZeroTierServerSocketChannel}; the backlog bounds the stack's accept queue. */
final class ZeroTierServerSocketChannelConfig extends DefaultChannelConfig implements ServerSocketChannelConfig {

  private volatile int backlog = 128;
  private volatile boolean reuseAddress;
  private volatile int receiveBufferSize;

  ZeroTierServerSocketChannelConfig(ZeroTierServerSocketChannel channel) {
    super(channel);
  }

  @Override
  public Map<ChannelOption<?>, Object> getOptions() {
    return getOptions(super.getOptions(), ChannelOption.SO_BACKLOG, ChannelOption.SO_REUSEADDR,
        ChannelOption.SO_RCVBUF);
  }

  @SuppressWarnings("unchecked")
  @Override
  public <T> T getOption(ChannelOption<T> option) {
    if (option == ChannelOption.SO_BACKLOG) {
      return (T) Integer.valueOf(backlog);
    } else if (option == ChannelOption.SO_REUSEADDR) {
      return (T) Boolean.valueOf(reuseAddress);
    } else if (option == ChannelOption.SO_RCVBUF) {
      return (T) Integer.valueOf(receiveBufferSize);
    }
    return super.getOption(option);
  }

  @Override
  public <T> boolean setOption(ChannelOption<T> option, T value) {
    validate(option, value);
    if (option == ChannelOption.SO_BACKLOG) {
      setBacklog((Integer) value);
    } else if (option == ChannelOption.SO_REUSEADDR) {
      setReuseAddress((Boolean) value);
    } else if (option == ChannelOption.SO_RCVBUF) {
      setReceiveBufferSize((Integer) value);
    } else {
      return super.setOption(option, value);
    }
    return true;
  }

  @Override
  public int getBacklog() {
    return backlog;
  }

  @Override
  public ZeroTierServerSocketChannelConfig setBacklog(int backlog) {
    if (backlog < 0) {
      throw new IllegalArgumentException("backlog must not be negative: " + backlog);
    }
    this.backlog = backlog;
    return this;
  }

  @Override
  public boolean isReuseAddress() {
    return reuseAddress;
  }

  @Override
  public ZeroTierServerSocketChannelConfig setReuseAddress(boolean on) {
    reuseAddress = on;
    return this;
  }

  @Override
  public int getReceiveBufferSize() {
    return receiveBufferSize;
  }

  /** Recorded; accepted connections take their receive buffer from their own {@code SO_RCVBUF} child option. */
  @Override
  public ZeroTierServerSocketChannelConfig setReceiveBufferSize(int bytes) {
    receiveBufferSize = bytes;
    return this;
  }

  @Override
  public ZeroTierServerSocketChannelConfig setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
    return this;
  }

  @Override
  public ZeroTierServerSocketChannelConfig setConnectTimeoutMillis(int millis) {
    super.setConnectTimeoutMillis(millis);
    return this;
  }

  @Override
  @Deprecated
  public ZeroTierServerSocketChannelConfig setMaxMessagesPerRead(int n) {
    super.setMaxMessagesPerRead(n);
    return this;
  }

  @Override
  public ZeroTierServerSocketChannelConfig setWriteSpinCount(int n) {
    super.setWriteSpinCount(n);
    return this;
  }

  @Override
  public ZeroTierServerSocketChannelConfig setAllocator(ByteBufAllocator allocator) {
    super.setAllocator(allocator);
    return this;
  }

  @Override
  public ZeroTierServerSocketChannelConfig setRecvByteBufAllocator(RecvByteBufAllocator allocator) {
    super.setRecvByteBufAllocator(allocator);
    return this;
  }

  @Override
  public ZeroTierServerSocketChannelConfig setAutoRead(boolean autoRead) {
    super.setAutoRead(autoRead);
    return this;
  }

  @Override
  public ZeroTierServerSocketChannelConfig setMessageSizeEstimator(MessageSizeEstimator estimator) {
    super.setMessageSizeEstimator(estimator);
    return this;
  }

  @Override
  @Deprecated
  public ZeroTierServerSocketChannelConfig setWriteBufferHighWaterMark(int mark) {
    super.setWriteBufferHighWaterMark(mark);
    return this;
  }

  @Override
  @Deprecated
  public ZeroTierServerSocketChannelConfig setWriteBufferLowWaterMark(int mark) {
    super.setWriteBufferLowWaterMark(mark);
    return this;
  }

  @Override
  public ZeroTierServerSocketChannelConfig setWriteBufferWaterMark(WriteBufferWaterMark mark) {
    super.setWriteBufferWaterMark(mark);
    return this;
  }
}
