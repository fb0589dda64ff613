# Type stubs of pyczmq.zmq: libzmq's functions and constants.
from collections.abc import Callable, Sequence
from typing import Any, overload

from pyczmq._core import Again as Again
from pyczmq._core import Context
from pyczmq._core import ContextTerminated as ContextTerminated
from pyczmq._core import Msg as Msg
from pyczmq._core import Pollitem as Pollitem
from pyczmq._core import SOCKET_OPTIONS as SOCKET_OPTIONS
from pyczmq._core import Socket as Socket
from pyczmq._core import ZMQError as ZMQError
from pyczmq._core import _Data, _Endpoint, _Kind
from typing_extensions import Buffer
from pyczmq._core import poll_items as poll_items

VERSION_MAJOR: int
VERSION_MINOR: int
VERSION_PATCH: int
VERSION: int
EFSM: int
ENOCOMPATPROTO: int
ETERM: int
EMTHREAD: int
IO_THREADS: int
MAX_SOCKETS: int
SOCKET_LIMIT: int
THREAD_PRIORITY: int
THREAD_SCHED_POLICY: int
MAX_MSGSZ: int
MSG_T_SIZE: int
THREAD_AFFINITY_CPU_ADD: int
THREAD_AFFINITY_CPU_REMOVE: int
THREAD_NAME_PREFIX: int
IO_THREADS_DFLT: int
MAX_SOCKETS_DFLT: int
THREAD_PRIORITY_DFLT: int
THREAD_SCHED_POLICY_DFLT: int
BLOCKY: int
PAIR: int
PUB: int
SUB: int
REQ: int
REP: int
DEALER: int
ROUTER: int
PULL: int
PUSH: int
XPUB: int
XSUB: int
STREAM: int
XREQ: int
XREP: int
AFFINITY: int
ROUTING_ID: int
IDENTITY: int
SUBSCRIBE: int
UNSUBSCRIBE: int
RATE: int
RECOVERY_IVL: int
SNDBUF: int
RCVBUF: int
RCVMORE: int
FD: int
EVENTS: int
TYPE: int
LINGER: int
RECONNECT_IVL: int
BACKLOG: int
RECONNECT_IVL_MAX: int
MAXMSGSIZE: int
SNDHWM: int
RCVHWM: int
MULTICAST_HOPS: int
RCVTIMEO: int
SNDTIMEO: int
LAST_ENDPOINT: int
ROUTER_MANDATORY: int
TCP_KEEPALIVE: int
TCP_KEEPALIVE_CNT: int
TCP_KEEPALIVE_IDLE: int
TCP_KEEPALIVE_INTVL: int
IMMEDIATE: int
XPUB_VERBOSE: int
ROUTER_RAW: int
IPV6: int
MECHANISM: int
PLAIN_SERVER: int
PLAIN_USERNAME: int
PLAIN_PASSWORD: int
CURVE_SERVER: int
CURVE_PUBLICKEY: int
CURVE_SECRETKEY: int
CURVE_SERVERKEY: int
PROBE_ROUTER: int
REQ_CORRELATE: int
REQ_RELAXED: int
CONFLATE: int
ZAP_DOMAIN: int
ROUTER_HANDOVER: int
TOS: int
CONNECT_ROUTING_ID: int
CONNECT_RID: int
GSSAPI_SERVER: int
GSSAPI_PRINCIPAL: int
GSSAPI_SERVICE_PRINCIPAL: int
GSSAPI_PLAINTEXT: int
HANDSHAKE_IVL: int
SOCKS_PROXY: int
XPUB_NODROP: int
XPUB_MANUAL: int
XPUB_WELCOME_MSG: int
STREAM_NOTIFY: int
INVERT_MATCHING: int
HEARTBEAT_IVL: int
HEARTBEAT_TTL: int
HEARTBEAT_TIMEOUT: int
XPUB_VERBOSER: int
CONNECT_TIMEOUT: int
TCP_MAXRT: int
THREAD_SAFE: int
MULTICAST_MAXTPDU: int
VMCI_BUFFER_SIZE: int
VMCI_BUFFER_MIN_SIZE: int
VMCI_BUFFER_MAX_SIZE: int
VMCI_CONNECT_TIMEOUT: int
USE_FD: int
GSSAPI_PRINCIPAL_NAMETYPE: int
GSSAPI_SERVICE_PRINCIPAL_NAMETYPE: int
BINDTODEVICE: int
TCP_ACCEPT_FILTER: int
IPC_FILTER_PID: int
IPC_FILTER_UID: int
IPC_FILTER_GID: int
IPV4ONLY: int
DELAY_ATTACH_ON_CONNECT: int
MORE: int
SHARED: int
SRCFD: int
DONTWAIT: int
SNDMORE: int
NOBLOCK: int
PLAIN: int
CURVE: int
GSSAPI: int
GSSAPI_NT_HOSTBASED: int
GSSAPI_NT_USER_NAME: int
GSSAPI_NT_KRB5_PRINCIPAL: int
EVENT_CONNECTED: int
EVENT_CONNECT_DELAYED: int
EVENT_CONNECT_RETRIED: int
EVENT_LISTENING: int
EVENT_BIND_FAILED: int
EVENT_ACCEPTED: int
EVENT_ACCEPT_FAILED: int
EVENT_CLOSED: int
EVENT_CLOSE_FAILED: int
EVENT_DISCONNECTED: int
EVENT_MONITOR_STOPPED: int
EVENT_ALL: int
EVENT_HANDSHAKE_FAILED_NO_DETAIL: int
EVENT_HANDSHAKE_SUCCEEDED: int
EVENT_HANDSHAKE_FAILED_PROTOCOL: int
EVENT_HANDSHAKE_FAILED_AUTH: int
POLLIN: int
POLLOUT: int
POLLERR: int
POLLPRI: int
POLLITEMS_DFLT: int
STREAMER: int
FORWARDER: int
QUEUE: int
FAIL_UNROUTABLE: int
ROUTER_BEHAVIOR: int
PROTOCOL_ERROR_ZMTP_UNSPECIFIED: int
PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND: int
PROTOCOL_ERROR_ZMTP_INVALID_SEQUENCE: int
PROTOCOL_ERROR_ZMTP_KEY_EXCHANGE: int
PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED: int
PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_MESSAGE: int
PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_HELLO: int
PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_INITIATE: int
PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_ERROR: int
PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_READY: int
PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_WELCOME: int
PROTOCOL_ERROR_ZMTP_INVALID_METADATA: int
PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC: int
PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH: int
PROTOCOL_ERROR_ZAP_UNSPECIFIED: int
PROTOCOL_ERROR_ZAP_MALFORMED_REPLY: int
PROTOCOL_ERROR_ZAP_BAD_REQUEST_ID: int
PROTOCOL_ERROR_ZAP_BAD_VERSION: int
PROTOCOL_ERROR_ZAP_INVALID_STATUS_CODE: int
PROTOCOL_ERROR_ZAP_INVALID_METADATA: int
PROTOCOL_ERROR_WS_UNSPECIFIED: int
EAGAIN: int
EINTR: int
EINVAL: int
EFAULT: int
ENOMEM: int
ENODEV: int
ENOTSUP: int
EPROTONOSUPPORT: int
ENOBUFS: int
ENETDOWN: int
EADDRINUSE: int
EADDRNOTAVAIL: int
ECONNREFUSED: int
EINPROGRESS: int
ENOTSOCK: int
EMSGSIZE: int
EAFNOSUPPORT: int
ENETUNREACH: int
ECONNABORTED: int
ECONNRESET: int
ENOTCONN: int
ETIMEDOUT: int
EHOSTUNREACH: int
ENETRESET: int
EMFILE: int
NULL: int

# Socket type names -> numbers, as the 2013 API's Context.socket("PUSH") looks them up.
types: dict[str, int]
pollitem = Pollitem

def ctx_new() -> Context: ...
def ctx_term(ctx: Context) -> int: ...
def ctx_shutdown(ctx: Context) -> int: ...
def ctx_get(ctx: Context, option: int) -> int: ...
def ctx_set(ctx: Context, option: int, value: int) -> int: ...
def socket(ctx: Context, kind: _Kind) -> Socket: ...
def close(sock: Socket) -> int: ...
def bind(sock: Socket, addr: _Endpoint) -> int: ...
def unbind(sock: Socket, addr: _Endpoint) -> int: ...
def connect(sock: Socket, addr: _Endpoint) -> int: ...
def disconnect(sock: Socket, addr: _Endpoint) -> int: ...
def send(sock: Socket, buf: _Data, len: int | None = None, flags: int = 0) -> int: ...
# recv(): the part as bytes, or with a writable `buf` the part's full size.
@overload
def recv(sock: Socket, buf: None = None, len: int | None = None, flags: int = 0) -> bytes: ...
@overload
def recv(sock: Socket, buf: Buffer, len: int | None = None, flags: int = 0) -> int: ...
def getsockopt(sock: Socket, option: int, val: object = None, len: object = None) -> Any: ...
def setsockopt(sock: Socket, option: int, val: int | _Data, len: int | None = None) -> int: ...
def socket_monitor(sock: Socket, addr: _Endpoint | None, events: int = ...) -> int: ...
def parse_monitor_event(parts: Sequence[_Data]) -> tuple[int, int, str]: ...
def recv_monitor_event(monitor: Socket, flags: int = 0) -> tuple[int, int, str]: ...
def proxy(frontend: Socket, backend: Socket, capture: Socket | None = None) -> int: ...
# msg_init(): a new Msg, or 0 when given one to re-initialise.
@overload
def msg_init(msg: None = None) -> Msg: ...
@overload
def msg_init(msg: Msg) -> int: ...
@overload
def msg_init_size(msg: None, size: int) -> Msg: ...
@overload
def msg_init_size(msg: Msg, size: int) -> int: ...
@overload
def msg_init_data(msg: None, data: _Data, size: int | None = None,
                  ffn: Callable[[Any, Any], object] | None = None, hint: Any = None) -> Msg: ...
@overload
def msg_init_data(msg: Msg, data: _Data, size: int | None = None,
                  ffn: Callable[[Any, Any], object] | None = None, hint: Any = None) -> int: ...
def msg_send(msg: Msg, sock: Socket, flags: int = 0) -> int: ...
def msg_recv(msg: Msg, sock: Socket, flags: int = 0) -> int: ...
def sendmsg(sock: Socket, msg: Msg, flags: int = 0) -> int: ...
def recvmsg(sock: Socket, msg: Msg, flags: int = 0) -> int: ...
def msg_close(msg: Msg) -> int: ...
def msg_copy(dest: Msg, src: Msg) -> int: ...
def msg_move(dest: Msg, src: Msg) -> int: ...
def msg_data(msg: Msg) -> memoryview: ...
def msg_size(msg: Msg) -> int: ...
def msg_more(msg: Msg) -> int: ...
def msg_get(msg: Msg, property: int) -> int: ...
def msg_set(msg: Msg, property: int, value: int) -> int: ...
def poll(items: Sequence[Pollitem], nitems_or_timeout: int = -1, timeout: int | None = None) -> int: ...
def errno() -> int: ...
def strerror(num: int) -> str: ...
def version() -> tuple[int, int, int]: ...
def has(capability: str) -> bool: ...
def z85_encode(data: _Data) -> str: ...
def z85_decode(text: str | bytes) -> bytes: ...
z86_decode = z85_decode
def curve_keypair() -> tuple[str, str]: ...
