package dev.ztjvm.netty;

import dev.ztjvm.sockets.nio.TcpChannel;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannelConfig;
import java.util.Map;

/**
 * Options of a {@link ZeroTierSocketChannel}. Socket options are kept here and applied to the stack's connection on
 * its loop (at once when connected, or when the connection is made).
 */
final class ZeroTierSocketChannelConfig extends DefaultChannelConfig implements SocketChannelConfig {

  private final ZeroTierSocketChannel channel;
  private volatile boolean tcpNoDelay = true;
  private volatile boolean keepAlive;
  private volatile int sendBufferSize;
  private volatile int receiveBufferSize;
  private volatile int trafficClass;
  private volatile int soLinger = -1;
  private volatile boolean reuseAddress;
  private volatile boolean allowHalfClosure;

  ZeroTierSocketChannelConfig(ZeroTierSocketChannel channel) {
    super(channel);
    this.channel = channel;
  }

  /** Applies the socket options to the stack's connection; stack loop only. */
  void applyTo(TcpChannel tcp) {
    tcp.setNoDelay(tcpNoDelay);
    tcp.setKeepAlive(keepAlive);
    if (sendBufferSize > 0) {
      tcp.setSendBufferSize(sendBufferSize);
    }
    if (receiveBufferSize > 0) {
      tcp.setReceiveBufferSize(receiveBufferSize);
    }
    tcp.setTrafficClass(trafficClass);
  }

  @Override
  public Map<ChannelOption<?>, Object> getOptions() {
    return getOptions(super.getOptions(), ChannelOption.TCP_NODELAY, ChannelOption.SO_KEEPALIVE,
        ChannelOption.SO_SNDBUF, ChannelOption.SO_RCVBUF, ChannelOption.IP_TOS, ChannelOption.SO_LINGER,
        ChannelOption.SO_REUSEADDR, ChannelOption.ALLOW_HALF_CLOSURE);
  }

  @SuppressWarnings("unchecked")
  @Override
  public <T> T getOption(ChannelOption<T> option) {
    if (option == ChannelOption.TCP_NODELAY) {
      return (T) Boolean.valueOf(tcpNoDelay);
    } else if (option == ChannelOption.SO_KEEPALIVE) {
      return (T) Boolean.valueOf(keepAlive);
    } else if (option == ChannelOption.SO_SNDBUF) {
      return (T) Integer.valueOf(getSendBufferSize());
    } else if (option == ChannelOption.SO_RCVBUF) {
      return (T) Integer.valueOf(getReceiveBufferSize());
    } else if (option == ChannelOption.IP_TOS) {
      return (T) Integer.valueOf(trafficClass);
    } else if (option == ChannelOption.SO_LINGER) {
      return (T) Integer.valueOf(soLinger);
    } else if (option == ChannelOption.SO_REUSEADDR) {
      return (T) Boolean.valueOf(reuseAddress);
    } else if (option == ChannelOption.ALLOW_HALF_CLOSURE) {
      return (T) Boolean.valueOf(allowHalfClosure);
    }
    return super.getOption(option);
  }

  @Override
  public <T> boolean setOption(ChannelOption<T> option, T value) {
    validate(option, value);
    if (option == ChannelOption.TCP_NODELAY) {
      setTcpNoDelay((Boolean) value);
    } else if (option == ChannelOption.SO_KEEPALIVE) {
      setKeepAlive((Boolean) value);
    } else if (option == ChannelOption.SO_SNDBUF) {
      setSendBufferSize((Integer) value);
    } else if (option == ChannelOption.SO_RCVBUF) {
      setReceiveBufferSize((Integer) value);
    } else if (option == ChannelOption.IP_TOS) {
      setTrafficClass((Integer) value);
    } else if (option == ChannelOption.SO_LINGER) {
      setSoLinger((Integer) value);
    } else if (option == ChannelOption.SO_REUSEADDR) {
      setReuseAddress((Boolean) value);
    } else if (option == ChannelOption.ALLOW_HALF_CLOSURE) {
      setAllowHalfClosure((Boolean) value);
    } else {
      return super.setOption(option, value);
    }
    return true;
  }

  private ZeroTierSocketChannelConfig changed() {
    channel.socketOptionsChanged();
    return this;
  }

  @Override
  public boolean isTcpNoDelay() {
    return tcpNoDelay;
  }

  @Override
  public ZeroTierSocketChannelConfig setTcpNoDelay(boolean on) {
    tcpNoDelay = on;
    return changed();
  }

  @Override
  public int getSoLinger() {
    return soLinger;
  }

  /** {@code 0} makes close reset the connection (as with a kernel socket); other values only are recorded. */
  @Override
  public ZeroTierSocketChannelConfig setSoLinger(int seconds) {
    soLinger = seconds;
    return this;
  }

  @Override
  public int getSendBufferSize() {
    return sendBufferSize > 0 ? sendBufferSize : channel.stackSendBufferSize();
  }

  @Override
  public ZeroTierSocketChannelConfig setSendBufferSize(int bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("SO_SNDBUF must be positive: " + bytes);
    }
    sendBufferSize = bytes;
    return changed();
  }

  @Override
  public int getReceiveBufferSize() {
    return receiveBufferSize > 0 ? receiveBufferSize : channel.stackReceiveBufferSize();
  }

  @Override
  public ZeroTierSocketChannelConfig setReceiveBufferSize(int bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("SO_RCVBUF must be positive: " + bytes);
    }
    receiveBufferSize = bytes;
    return changed();
  }

  @Override
  public boolean isKeepAlive() {
    return keepAlive;
  }

  @Override
  public ZeroTierSocketChannelConfig setKeepAlive(boolean on) {
    keepAlive = on;
    return changed();
  }

  @Override
  public int getTrafficClass() {
    return trafficClass;
  }

  @Override
  public ZeroTierSocketChannelConfig setTrafficClass(int tc) {
    trafficClass = tc;
    return changed();
  }

  @Override
  public boolean isReuseAddress() {
    return reuseAddress;
  }

  /** Recorded only: the userspace stack has no TIME_WAIT port reuse restriction to lift. */
  @Override
  public ZeroTierSocketChannelConfig setReuseAddress(boolean on) {
    reuseAddress = on;
    return this;
  }

  @Override
  public ZeroTierSocketChannelConfig setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
    return this;
  }

  @Override
  public boolean isAllowHalfClosure() {
    return allowHalfClosure;
  }

  @Override
  public ZeroTierSocketChannelConfig setAllowHalfClosure(boolean on) {
    allowHalfClosure = on;
    return this;
  }

  @Override
  public ZeroTierSocketChannelConfig setConnectTimeoutMillis(int millis) {
    super.setConnectTimeoutMillis(millis);
    return this;
  }

  @Override
  @Deprecated
  public ZeroTierSocketChannelConfig setMaxMessagesPerRead(int n) {
    super.setMaxMessagesPerRead(n);
    return this;
  }

  @Override
  public ZeroTierSocketChannelConfig setWriteSpinCount(int n) {
    super.setWriteSpinCount(n);
    return this;
  }

  @Override
  public ZeroTierSocketChannelConfig setAllocator(ByteBufAllocator allocator) {
    super.setAllocator(allocator);
    return this;
  }

  @Override
  public ZeroTierSocketChannelConfig setRecvByteBufAllocator(RecvByteBufAllocator allocator) {
    super.setRecvByteBufAllocator(allocator);
    return this;
  }

  @Override
  public ZeroTierSocketChannelConfig setAutoRead(boolean autoRead) {
    super.setAutoRead(autoRead);
    return this;
  }

  @Override
  public ZeroTierSocketChannelConfig setAutoClose(boolean autoClose) {
    super.setAutoClose(autoClose);
    return this;
  }

  @Override
  public ZeroTierSocketChannelConfig setMessageSizeEstimator(MessageSizeEstimator estimator) {
    super.setMessageSizeEstimator(estimator);
    return this;
  }

  @Override
  public ZeroTierSocketChannelConfig setWriteBufferWaterMark(WriteBufferWaterMark mark) {
    super.setWriteBufferWaterMark(mark);
    return this;
  }
}
