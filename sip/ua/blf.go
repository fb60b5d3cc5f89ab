package ua

import "github.com/emiago/sipgo/sip"

// onDialogNotify takes a dialog-event NOTIFY (RFC 4235) for a watch.
func (u *UA) onDialogNotify(req *sip.Request, tx sip.ServerTransaction) {
	_ = tx.Respond(sip.NewResponseFromRequest(req, 481, "Subscription Does Not Exist", nil))
}
