"""The rules of 预约服务 (bookings). Filled in by its issue."""
