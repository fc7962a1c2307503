/** The person an enterprise's receipt or report names (签收人 and phone), as the ack forms ask for. */
export const SIGNER = { signerName: '张三', signerPhone: '13800000000' };
