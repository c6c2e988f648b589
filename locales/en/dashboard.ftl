# The organisers' dashboard (a Telegram Mini App). The page gets these texts from /api/texts
# and fills in the variables itself, so there are no plural forms here.

## In the chat
dash-menu-button = Dashboard
dash-open-button = 📊 Organiser dashboard
dash-event-button = 📊 Open in the dashboard

## The page
dash-title = Organiser dashboard
dash-scope-all = All regions
dash-scope-regions = Regions: { $regions }
dash-tab-overview = Overview
dash-tab-events = Events
dash-tab-broadcasts = Broadcasts
dash-empty = No data yet.
dash-error = Could not load the data. Please try again.
dash-retry = Try again
dash-stale = This session has expired. Close the dashboard and open it again from the bot's menu.
dash-forbidden = The dashboard is for organisers and admins only.
dash-outside-title = Open the dashboard in Telegram
dash-outside = This page works inside Telegram. Open your chat with the bot and press the "Dashboard" button left of the message field (or "Organiser dashboard" in the main menu, /start). Organisers and admins have it.
dash-back = ← Back

## Overview
dash-kpi-people = registered
dash-kpi-tos = TOS in the registry
dash-kpi-events = upcoming events
dash-kpi-questions = open questions
dash-people-chart = Registrations: total at the end of each day
dash-range = { $low } to { $high }
dash-people-total = registered in all
dash-people-new = new that day
dash-period = Period
dash-days-option = { $days } days
dash-by-region = People by region
dash-other-regions = Other regions
dash-by-role = People by role
dash-tos = TOS registry by status
dash-tos-unverified = not verified yet
dash-tos-verified = verified
dash-tos-rejected = rejected
dash-upcoming = Upcoming events
dash-col-when = When
dash-col-event = Event
dash-col-seats = Seats
dash-seats-of = { $taken } of { $capacity }
dash-seats-unlimited = { $taken }, no limit
dash-waiting-line = waitlisted: { $waitlisted } · awaiting approval: { $pending }
dash-questions = Open questions to experts by topic
dash-questions-open = Open: { $open }, waiting for an expert: { $waiting }
dash-questions-new = waiting for an expert
dash-questions-taken = an expert is on it
dash-longest-wait = longest { $wait }
dash-hours-value = { $hours } h
dash-days-value = { $days } d
dash-broadcasts = Recent broadcasts
dash-col-broadcast = Broadcast
dash-col-delivery = Delivery
dash-delivered-of = { $sent } of { $total } ({ $percent }%)
dash-blocked-failed = blocked: { $blocked } · failed: { $failed }

## Events
dash-events-all = Events (the last 30 days and upcoming)
dash-kpi-signed = signed up
dash-kpi-seats = seats taken
dash-kpi-waitlisted = on the waitlist
dash-kpi-pending = awaiting approval
dash-kpi-attended = attended
dash-kpi-rating = average rating
dash-ratings = Participants' ratings ({ $count } in all)
dash-participants = Participants
dash-search = Search by name, phone, TOS…
dash-status-filter = Status
dash-status-all = All statuses
dash-shown = Showing { $shown } of { $total }
dash-download = Download { $format }
dash-send-to-chat = { $format } to the chat
dash-sent-to-chat = The file is in your chat with the bot.

## Broadcasts
dash-broadcast-title = Broadcast #{ $id }
dash-kpi-audience = recipients
dash-kpi-delivered = delivered
dash-kpi-blocked = blocked the bot
dash-kpi-failed = failed
dash-pace = Rate: { $rate } a second, about { $minutes } min left.
dash-report = Delivery report
dash-delivery-pending = waiting to be sent
dash-delivery-sending = being sent
dash-delivery-sent = delivered
dash-delivery-blocked = blocked the bot
dash-delivery-failed = failed
dash-delivery-cancelled = cancelled (stopped)
dash-delivery-expired = expired
dash-delivery-paused = paused

## The audit log (admins only)
dash-tab-audit = Audit log
dash-audit = The admins' audit log
dash-audit-counts = Entries: { $total } · banned now: { $banned }
dash-page = page { $page } of { $pages }
